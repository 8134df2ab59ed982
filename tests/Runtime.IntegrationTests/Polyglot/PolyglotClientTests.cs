using Runtime.IntegrationTests.Infrastructure;

namespace Runtime.IntegrationTests.Polyglot;

/// <summary>
/// The TypeScript and Python clients drive the containerised server: their own real-server suites run with
/// <c>RUNTIME_TEST_ADDRESS</c> pointing at the container's loopback port, so whatever they cover is proven against
/// the image too. Node, npm packages and the Python toolchain come from <c>scripts/install-tools.sh</c>.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class PolyglotClientTests(SharedServerFixture fixture)
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_typescript_client_drives_the_containerised_server()
    {
        var client = Repository.Path("clients", "typescript");
        var compile = await ChildProcess.RunAsync(
            System.IO.Path.Combine(client, "node_modules", ".bin", "tsc"), ["-p", "."], client, null, ToolTimeout);
        Assert.True(compile.ExitCode == 0, compile.Output);

        var run = await ChildProcess.RunAsync(
            "node", ["--test", "--test-concurrency=1", "dist/test/real-server.test.js"], client,
            new Dictionary<string, string> { ["RUNTIME_TEST_ADDRESS"] = fixture.Address.ToString().TrimEnd('/') },
            ToolTimeout);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("# fail 0", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("# pass 0", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_python_client_drives_the_containerised_server()
    {
        var run = await ChildProcess.RunAsync(
            "/usr/bin/python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_real_server.py"],
            Repository.Path("clients", "python"),
            // The Python client takes host:port (grpcio's target syntax).
            new Dictionary<string, string> { ["RUNTIME_TEST_ADDRESS"] = fixture.Address.Authority },
            ToolTimeout);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Matches(@"\b[1-9]\d* passed\b", run.Output);
    }
}
