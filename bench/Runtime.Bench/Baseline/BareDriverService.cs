using Grpc.Core;
using Runtime.Contracts.V1;

namespace Runtime.Bench.Baseline;

/// <summary>
/// The baseline: RuntimeDriverService with the same message shapes that does no work. Whatever Runtime reaches is
/// reported as a ratio of what this reaches in the same run, on the same machine.
/// </summary>
public sealed class BareDriverService : RuntimeDriverService.RuntimeDriverServiceBase
{
    private static readonly AcceptInputResponse Accepted = new()
    {
        Outcome = AcceptOutcome.Accepted,
        InputId = "019a0000-0000-7000-8000-000000000000",
        Phase = InputPhase.Queued,
    };

    /// <inheritdoc />
    public override Task<AcceptInputResponse> AcceptInput(AcceptInputRequest request, ServerCallContext context) =>
        Task.FromResult(Accepted);

    /// <inheritdoc />
    public override async Task AcceptInputStream(
        IAsyncStreamReader<AcceptInputStreamRequest> requestStream,
        IServerStreamWriter<AcceptInputStreamResponse> responseStream,
        ServerCallContext context)
    {
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(new AcceptInputStreamResponse { CorrelationId = request.CorrelationId, Accepted = Accepted });
        }
    }
}
