using Runtime.Core.Inputs;
using CoreHosting = Runtime.Core.Hosting;

namespace Runtime.Observation.BuiltIn.Runtimes;

/// <summary>
/// The runtime catalog over <see cref="CoreHosting.IRuntimeHost"/>: reads every runtime page by page each cycle. At most
/// <paramref name="maxRuntimes"/> are observed, so a cycle stays bounded however many runtimes there are.
/// </summary>
public sealed class RuntimeHostCatalog(CoreHosting.IRuntimeHost host, int maxRuntimes = RuntimeHostCatalog.DefaultMaxRuntimes) : IRuntimeCatalog
{
    /// <summary>The default cap on runtimes observed per cycle.</summary>
    public const int DefaultMaxRuntimes = 100_000;

    private const int PageSize = 1_000;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RuntimeInfo>> ListRuntimesAsync(CancellationToken cancellationToken)
    {
        var runtimes = new List<RuntimeInfo>();
        var token = "";
        do
        {
            var page = await host.ListRuntimesAsync(new CoreHosting.RuntimeQuery { PageSize = PageSize, PageToken = token }, cancellationToken);
            runtimes.AddRange(page.Runtimes.Select(ToRow));
            token = page.NextPageToken;
        }
        while (token.Length > 0 && runtimes.Count < maxRuntimes);

        if (runtimes.Count > maxRuntimes)
        {
            runtimes.RemoveRange(maxRuntimes, runtimes.Count - maxRuntimes);
        }

        return runtimes;
    }

    private static RuntimeInfo ToRow(CoreHosting.RuntimeInfo runtime) => new()
    {
        RuntimeId = runtime.RuntimeId,
        State = runtime.State,
        QueueDepth = runtime.PhaseCounts.GetValueOrDefault(InputPhase.Accepted) + runtime.PhaseCounts.GetValueOrDefault(InputPhase.Queued),
        PhaseCounts = runtime.PhaseCounts.Where(p => p.Value > 0).ToDictionary(),
        Labels = runtime.Labels,
        Destination = runtime.Destination.Length == 0 ? null : runtime.Destination,
    };
}
