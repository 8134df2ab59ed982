using Runtime.Core.Hosting;
using Runtime.Core.Runtimes;
using Runtime.Transports.Destinations;

namespace Runtime.Transports.Composition;

/// <summary>
/// Counts the live (not DESTROYED) runtimes bound to destinations by paging through the host's runtimes. Asked only by
/// Get/List/Close/DeleteDestination, so a scan is cheap enough and needs nothing new from the core.
/// </summary>
/// <param name="host">
/// Resolves the host lazily (it is built after the transports it depends on); null when the process hosts no runtimes,
/// and then nothing is bound.
/// </param>
public sealed class RuntimeHostBindings(Func<IRuntimeHost?> host) : IDestinationBindings
{
    private const int PageSize = 1000;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, int>> CountBoundRuntimesAsync(
        IReadOnlyCollection<string> destinations, CancellationToken cancellationToken)
    {
        var counts = destinations.Distinct(StringComparer.Ordinal).ToDictionary(d => d, _ => 0, StringComparer.Ordinal);
        var runtimes = host();
        if (runtimes is null)
        {
            return counts;
        }

        var token = "";
        do
        {
            var page = await runtimes.ListRuntimesAsync(new RuntimeQuery { PageSize = PageSize, PageToken = token }, cancellationToken);
            foreach (var runtime in page.Runtimes)
            {
                if (runtime.State != RuntimeState.Destroyed && counts.TryGetValue(runtime.Destination, out var count))
                {
                    counts[runtime.Destination] = count + 1;
                }
            }

            token = page.NextPageToken;
        }
        while (token.Length > 0);

        return counts;
    }
}
