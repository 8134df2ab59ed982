using Runtime.IntegrationTests.Infrastructure;

namespace Runtime.IntegrationTests.Faults;

/// <summary>
/// One deployment (server on a volume + sample sink) per fault scenario class: the scenario kills, stops and
/// restarts its own containers, so it never shares them (and never uses <c>RUNTIME_TEST_SERVER</c>).
/// </summary>
public class FaultFixture : IAsyncLifetime
{
    /// <summary>
    /// Faster transport health checks than the defaults, so an outage spans several intervals in seconds.
    /// The section name follows the server's composition of the transports (TransportOptions).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ServerSettings = new Dictionary<string, string>
    {
        ["Runtime__Transports__HealthCheckInterval"] = "00:00:01",
        ["Runtime__Transports__InitialReconnectBackoff"] = "00:00:00.500",
        ["Runtime__Transports__MaxReconnectBackoff"] = "00:00:02",
        ["Runtime__Transports__ConnectTimeout"] = "00:00:02",
    };

    private readonly IReadOnlyDictionary<string, string> _settings;
    private Deployment? _deployment;

    /// <summary>A deployment with <see cref="ServerSettings"/>.</summary>
    public FaultFixture()
        : this(ServerSettings)
    {
    }

    /// <summary>A deployment with these server settings (environment variables).</summary>
    protected FaultFixture(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    /// <summary>The deployment.</summary>
    public Deployment Deployment => _deployment ?? throw new InvalidOperationException("the fixture has not started");

    /// <summary>The server's API over the current node's channel (take it again after a restart).</summary>
    public RuntimeApi Api => new(Deployment.Server.Channel);

    /// <inheritdoc />
    public async Task InitializeAsync() => _deployment = await Deployment.StartAsync(withSink: true, _settings);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }
    }
}
