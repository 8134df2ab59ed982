using System.Globalization;
using System.Text.RegularExpressions;
using Runtime.Contracts.V1;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Contract;

/// <summary>
/// The defaults the contract documents (the comments of policy.proto, which every generated client carries) are the
/// ones the server applies: read from the .proto text and compared with what a real server fills in.
/// </summary>
public sealed partial class ContractDefaultsTests(LoopbackServer server) : IClassFixture<LoopbackServer>
{
    [Fact]
    public async Task The_policy_defaults_in_the_contract_are_the_servers()
    {
        var proto = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "protos", "runtime", "v1", "policy.proto"));
        var control = new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(server.Channel);

        await control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "defaults", Policy = new RuntimePolicy() });
        var applied = (await control.GetRuntimeAsync(new GetRuntimeRequest { RuntimeId = "defaults" })).Runtime.Policy;

        Assert.Equal($"QUEUE_MODE_{Documented(proto, "QUEUE_MODE_UNSPECIFIED = 0", ServerDefault())}", EnumName(applied.QueueMode));
        Assert.Equal($"CONSUME_POINT_{Documented(proto, "CONSUME_POINT_UNSPECIFIED = 0", ServerDefault())}", EnumName(applied.ConsumePoint));
        Assert.Equal(Documented(proto, "max_batch_per_run = 3", ServerDefault()), applied.MaxBatchPerRun.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Documented(proto, "max_attempts = 4", ServerDefault()), applied.MaxAttempts.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Documented(proto, "google.protobuf.Duration initial = 1", Default()), $"{applied.RetryBackoff.Initial.ToTimeSpan().TotalSeconds}s");
        Assert.Equal(Documented(proto, "google.protobuf.Duration max = 2", Default()), $"{applied.RetryBackoff.Max.ToTimeSpan().TotalSeconds}s");
        Assert.Equal(Documented(proto, "double multiplier = 3", Default()), applied.RetryBackoff.Multiplier.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>What <paramref name="pattern"/> captures in the comment lines right above <paramref name="declaration"/>.</summary>
    private static string Documented(string proto, string declaration, Regex pattern)
    {
        var lines = proto.Split('\n');
        var at = Array.FindIndex(lines, l => l.Trim().EndsWith(declaration + ";", StringComparison.Ordinal));
        Assert.True(at > 0, $"no '{declaration}' in policy.proto");
        var comment = string.Join(" ", lines[..at].Reverse().TakeWhile(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
        var match = pattern.Match(comment);
        Assert.True(match.Success, $"the comment of '{declaration}' documents no default: {comment}");
        return match.Groups[1].Value;
    }

    private static string EnumName<T>(T value)
        where T : struct, Enum =>
        typeof(T).GetField(value.ToString())!.GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
            .Cast<Google.Protobuf.Reflection.OriginalNameAttribute>().Single().Name;

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "buf.yaml")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("the repository root (buf.yaml) is not above the test binaries");
    }

    [GeneratedRegex(@"server default \(([A-Z0-9_]+)\)")]
    private static partial Regex ServerDefault();

    [GeneratedRegex(@"Default ([0-9.]+s?)[;.]")]
    private static partial Regex Default();
}
