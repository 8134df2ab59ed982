using System.Net;

namespace Runtime.Server.Security.Startup;

/// <summary>
/// Refuses to serve beyond loopback unsafely. Reads every address the host will listen on from configuration
/// (<c>Urls</c> / <c>--urls</c> / <c>ASPNETCORE_URLS</c>, <c>HTTP_PORTS</c> / <c>HTTPS_PORTS</c>,
/// <c>Kestrel:Endpoints:*:Url</c>) and checks them before anything listens.
/// </summary>
public static class BindGuard
{
    /// <summary>Where the server listens when nothing is configured: loopback only, plain-text HTTP/2.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>
    /// Listens on <see cref="DefaultUrl"/> unless an address is configured. A default in code rather than in
    /// appsettings.json, so that <c>ASPNETCORE_URLS</c> (which appsettings would override) still works.
    /// </summary>
    public static void ApplyDefault(IConfiguration configuration)
    {
        if (Addresses(configuration).Count == 0)
        {
            configuration["urls"] = DefaultUrl;
        }
    }

    /// <summary>An address the host is configured to listen on.</summary>
    /// <param name="Source">The setting it comes from, for the message.</param>
    /// <param name="Url">The address as configured.</param>
    /// <param name="IsLoopback">Reachable only from this machine.</param>
    /// <param name="IsTls">Served over TLS (https).</param>
    public sealed record ListenAddress(string Source, string Url, bool IsLoopback, bool IsTls);

    /// <summary>What the guard decided: the warnings to log at start when it lets the server start.</summary>
    /// <param name="Warnings">One line per opt-out in effect.</param>
    public sealed record Verdict(IReadOnlyList<string> Warnings);

    /// <summary>
    /// Checks the configured addresses before anything listens (a clear message early); throws
    /// <see cref="StartupRefusedException"/> when the server must not start.
    /// </summary>
    public static Verdict Check(IConfiguration configuration, SecurityOptions options) => Decide(Addresses(configuration), options);

    /// <summary>
    /// Checks what the server actually bound (its addresses once listening: <c>http://[::]:5000</c> for a host name,
    /// <c>*</c> or <c>+</c>, whatever the spelling, and endpoints configured in code as well); this is the check that
    /// counts. Throws <see cref="StartupRefusedException"/> when the server must not serve.
    /// </summary>
    public static Verdict CheckBound(IEnumerable<string> boundUrls, SecurityOptions options) =>
        Decide(boundUrls.Select(url => Parse("bound", url)).ToList(), options);

    private static Verdict Decide(IReadOnlyList<ListenAddress> addresses, SecurityOptions options)
    {
        var exposed = addresses.Where(a => !a.IsLoopback).ToList();
        var warnings = new List<string>();
        if (exposed.Count == 0)
        {
            return new Verdict(warnings);
        }

        var list = string.Join(", ", exposed.Select(a => $"{a.Url} ({a.Source})"));
        if (!options.AuthenticationEnabled)
        {
            if (!options.AllowUnauthenticatedNonLoopback)
            {
                throw new StartupRefusedException(
                    $"refusing to listen on {list}: not a loopback address and no authentication is configured. "
                    + "Set Runtime:Security:RequireAuthentication=true and create an API key ('apikey create --name NAME --scopes admin'), "
                    + "or configure Runtime:Security:Jwt; or listen on 127.0.0.1; "
                    + "or accept that anyone who reaches the port can do everything with Runtime:Security:AllowUnauthenticatedNonLoopback=true.");
            }

            warnings.Add($"listening on {list} WITHOUT authentication (Runtime:Security:AllowUnauthenticatedNonLoopback=true): anyone who reaches the port can do everything");
        }

        var plaintext = exposed.Where(a => !a.IsTls).ToList();
        if (plaintext.Count > 0)
        {
            var plainList = string.Join(", ", plaintext.Select(a => $"{a.Url} ({a.Source})"));
            if (!options.AllowPlaintextNonLoopback)
            {
                throw new StartupRefusedException(
                    $"refusing to listen on {plainList}: not a loopback address and not TLS, so credentials and data would travel in clear. "
                    + "Use an https:// address with a certificate (Kestrel:Certificates:Default:Path and KeyPath), "
                    + "or, when TLS ends at a proxy in front of the server, set Runtime:Security:AllowPlaintextNonLoopback=true.");
            }

            warnings.Add($"listening on {plainList} WITHOUT TLS (Runtime:Security:AllowPlaintextNonLoopback=true): credentials and data travel in clear");
        }

        return new Verdict(warnings);
    }

    /// <summary>Every configured listen address.</summary>
    public static IReadOnlyList<ListenAddress> Addresses(IConfiguration configuration)
    {
        var addresses = new List<ListenAddress>();
        foreach (var url in Split(configuration["urls"]))
        {
            addresses.Add(Parse("urls", url));
        }

        foreach (var port in Split(configuration["http_ports"]))
        {
            addresses.Add(Parse("HTTP_PORTS", $"http://*:{port}"));
        }

        foreach (var port in Split(configuration["https_ports"]))
        {
            addresses.Add(Parse("HTTPS_PORTS", $"https://*:{port}"));
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                addresses.Add(Parse($"Kestrel:Endpoints:{endpoint.Key}:Url", url));
            }
        }

        return addresses;
    }

    /// <summary>
    /// Reads one address (<c>scheme://host:port</c>, host possibly <c>*</c>, <c>+</c>, <c>[::]</c>, a name) the way
    /// Kestrel binds it: <c>localhost</c> binds loopback, an IP address binds itself, and any other host binds every
    /// interface. Only Kestrel's socket forms (<c>unix:/path</c>, <c>pipe:/name</c>) are local sockets; a host
    /// merely named <c>unix</c> is a host name. Anything unreadable counts as exposed.
    /// </summary>
    public static ListenAddress Parse(string source, string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "http" : url[..schemeEnd];
        var rest = schemeEnd < 0 ? url : url[(schemeEnd + 3)..];
        var isTls = scheme.Equals("https", StringComparison.OrdinalIgnoreCase);
        if (rest.StartsWith("unix:/", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("pipe:/", StringComparison.OrdinalIgnoreCase))
        {
            return new ListenAddress(source, url, IsLoopback: true, isTls);
        }

        string host;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? rest : rest[1..close];
        }
        else
        {
            var end = rest.IndexOfAny([':', '/']);
            host = end < 0 ? rest : rest[..end];
        }

        var isLoopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip));
        return new ListenAddress(source, url, isLoopback, isTls);
    }

    private static string[] Split(string? value) =>
        value?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
