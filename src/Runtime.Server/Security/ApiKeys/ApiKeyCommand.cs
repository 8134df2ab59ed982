using System.Globalization;
using Runtime.Core.Errors;
using Runtime.Server.Hosting;

namespace Runtime.Server.Security.ApiKeys;

/// <summary>
/// <c>dotnet Runtime.Server.dll apikey create|list|revoke ...</c>: manages API keys in the data directory without a
/// running server (or beside one: a running server sees changes on the next call) and exits.
/// </summary>
public static class ApiKeyCommand
{
    private const string Usage = """
        usage:
          apikey create --name NAME --scopes ingest|observe|admin[,...] [--expires 30d|12h|90m|2026-12-31T00:00:00Z]
          apikey list [--all]
          apikey revoke KEY_ID
        The data directory is Runtime:DataDirectory (appsettings, Runtime__DataDirectory, --Runtime:DataDirectory=PATH).
        """;

    /// <summary>True when the arguments ask for this command rather than the server.</summary>
    public static bool IsInvocation(string[] args) => args.Length > 0 && args[0] == "apikey";

    /// <summary>Runs the command; returns the process exit code (0 done, 1 refused, 2 usage).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var (positional, flags) = Parse(args.Skip(1));
        if (positional.Count == 0)
        {
            error.WriteLine(Usage);
            return 2;
        }

        // The same configuration sources as the server, from the same content root (the binary's folder).
        var configuration = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ConfigurationArguments(args),
            ContentRootPath = AppContext.BaseDirectory,
        }).Configuration;
        var dataDirectory = Path.GetFullPath(configuration[$"{ServerOptions.Section}:{nameof(ServerOptions.DataDirectory)}"] ?? "./data");
        try
        {
            using var store = new ApiKeyStore(dataDirectory, time);
            switch (positional[0])
            {
                case "create":
                    return Create(store, flags, time, output, error);
                case "list":
                    return List(store, flags.ContainsKey("all"), output);
                case "revoke" when positional.Count == 2:
                    var revoked = store.Revoke(positional[1]);
                    output.WriteLine($"revoked {revoked.KeyId} ({revoked.Name}) at {revoked.RevokedAt:O}");
                    return 0;
                default:
                    error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (RuntimeException e)
        {
            error.WriteLine($"apikey: {e.Message}");
            return 1;
        }
    }

    private static int Create(ApiKeyStore store, Dictionary<string, string> flags, TimeProvider time, TextWriter output, TextWriter error)
    {
        var scopeNames = flags.GetValueOrDefault("scopes", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = scopeNames.Where(s => !ScopeNames.All.ContainsKey(s)).ToList();
        if (unknown.Count > 0)
        {
            error.WriteLine($"apikey: unknown scope(s) {string.Join(", ", unknown)}; use ingest, observe, admin");
            return 2;
        }

        DateTimeOffset? expires = null;
        if (flags.TryGetValue("expires", out var expiry))
        {
            expires = ParseExpiry(expiry, time.GetUtcNow());
            if (expires is null)
            {
                error.WriteLine($"apikey: --expires '{expiry}' is neither a duration (30d, 12h, 90m) nor a UTC time");
                return 2;
            }
        }

        var created = store.Create(flags.GetValueOrDefault("name", ""), scopeNames.Select(s => ScopeNames.All[s]).ToHashSet(), expires);
        var key = created.Key;
        output.WriteLine($"created API key {key.KeyId} ({key.Name}), scopes {string.Join(",", key.Scopes.Order().Select(ScopeNames.Of))}, "
            + (key.ExpiresAt is { } e ? $"expires {e:O}" : "never expires"));
        output.WriteLine("the key is shown only now; present it as 'authorization: Bearer <key>':");
        output.WriteLine(created.Secret);
        return 0;
    }

    private static int List(ApiKeyStore store, bool all, TextWriter output)
    {
        output.WriteLine("KEY_ID        NAME                     SCOPES                CREATED                    EXPIRES                    REVOKED");
        var token = "";
        do
        {
            var page = store.List(pageToken: token, showRevoked: all);
            foreach (var key in page.Keys)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{key.KeyId,-13} {key.Name,-24} {string.Join(",", key.Scopes.Order().Select(ScopeNames.Of)),-21} {key.CreatedAt:O} {(key.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture) ?? "never"),-26} {key.RevokedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "-"}"));
            }

            token = page.NextPageToken;
        }
        while (token.Length > 0);
        return 0;
    }

    /// <summary>A duration from now (<c>30d</c>, <c>12h</c>, <c>90m</c>) or an absolute time; null when neither.</summary>
    public static DateTimeOffset? ParseExpiry(string text, DateTimeOffset now)
    {
        if (text.Length >= 2 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? span = text[^1] switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => null,
            };
            if (span is { } s)
            {
                return now + s;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    // `--name ops`, `--all`; positionals are the verb and its argument. `--Runtime:...=...` settings go to configuration.
    private static (List<string> Positional, Dictionary<string, string> Flags) Parse(IEnumerable<string> args)
    {
        var positional = new List<string>();
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var list = args.Where(a => !IsSetting(a)).ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].StartsWith("--", StringComparison.Ordinal))
            {
                var name = list[i][2..];
                var hasValue = i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal);
                flags[name] = hasValue ? list[++i] : "";
            }
            else
            {
                positional.Add(list[i]);
            }
        }

        return (positional, flags);
    }

    private static string[] ConfigurationArguments(string[] args) => args.Where(IsSetting).ToArray();

    private static bool IsSetting(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal);
}
