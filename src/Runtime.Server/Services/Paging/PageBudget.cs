using Google.Protobuf;
using Microsoft.Extensions.Options;
using Runtime.Core.Errors;
using Runtime.Server.Hosting;

namespace Runtime.Server.Services.Paging;

/// <summary>
/// Keeps list answers within the message limit: pages are cut by bytes as well as by count. A page whose encoding
/// is too large is read again with as many items as fit, so the store's own page token resumes right after them.
/// </summary>
public sealed class PageBudget(IOptions<ServerOptions> server)
{
    /// <summary>The reason when even one item cannot be answered within the limit.</summary>
    public const string ResponseTooLarge = "RESPONSE_TOO_LARGE";

    // Room for the next page token and the response's own fields beside its items.
    private const int Reserve = 4096;

    // A page changed meanwhile may need another read; a few are plenty.
    private const int MaxReads = 4;

    /// <summary>The largest response message, in bytes.</summary>
    public int MaxBytes => server.Value.MaxMessageBytes;

    /// <summary>
    /// Reads a page of <paramref name="pageSize"/> (0: the default) with <paramref name="read"/>, and again with
    /// fewer items while its answer is larger than <see cref="MaxBytes"/>.
    /// </summary>
    public async Task<TResponse> FitAsync<TResponse>(
        int pageSize, Func<int, Task<TResponse>> read, Func<TResponse, IReadOnlyList<IMessage>> items)
        where TResponse : IMessage
    {
        var response = await read(pageSize);
        for (var reads = 1; response.CalculateSize() > MaxBytes; reads++)
        {
            var page = items(response);
            var fitting = Fitting(page, MaxBytes - Reserve);
            if (fitting == 0 || reads == MaxReads)
            {
                throw Fail.Exhausted(ResponseTooLarge,
                    $"the answer does not fit the maximum message size of {MaxBytes} bytes",
                    ("max_message_bytes", MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            response = await read(fitting);
        }

        return response;
    }

    private static int Fitting(IReadOnlyList<IMessage> items, int budget)
    {
        var total = 0;
        for (var i = 0; i < items.Count; i++)
        {
            total += CodedOutputStream.ComputeMessageSize(items[i]) + 2;
            if (total > budget)
            {
                return i;
            }
        }

        return items.Count;
    }
}
