using System.Runtime.CompilerServices;

namespace Runtime.IntegrationTests.Infrastructure;

/// <summary>
/// What the suite reads from the environment. Images are built once by <c>scripts/build-images.sh</c>, never pulled.
/// </summary>
public static class TestEnvironment
{
    /// <summary>Set to an address (e.g. <c>http://127.0.0.1:5000</c>) to run the shared-server tests against it.</summary>
    public const string ExternalServerVariable = "RUNTIME_TEST_SERVER";

    /// <summary>The server image (<c>RUNTIME_SERVER_IMAGE</c>, default <c>runtime-server:local</c>).</summary>
    public static string ServerImage => Environment.GetEnvironmentVariable("RUNTIME_SERVER_IMAGE") ?? "runtime-server:local";

    /// <summary>The sample sink image (<c>RUNTIME_SINK_IMAGE</c>, default <c>runtime-sample-sink:local</c>).</summary>
    public static string SinkImage => Environment.GetEnvironmentVariable("RUNTIME_SINK_IMAGE") ?? "runtime-sample-sink:local";

    /// <summary>An already running server to use instead of a container, when <see cref="ExternalServerVariable"/> is set.</summary>
    public static Uri? ExternalServer =>
        Environment.GetEnvironmentVariable(ExternalServerVariable) is { Length: > 0 } value ? new Uri(value) : null;

    /// <summary>
    /// Testcontainers' reaper runs from an image no registry here can serve: the fixtures dispose their containers
    /// themselves. Set before Testcontainers reads its settings, unless the caller chose otherwise.
    /// </summary>
    [ModuleInitializer]
    internal static void DisableResourceReaper()
    {
        if (Environment.GetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED") is null)
        {
            Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
        }
    }
}
