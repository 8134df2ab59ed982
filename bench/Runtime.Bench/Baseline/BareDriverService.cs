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
            var response = new AcceptInputStreamResponse { CorrelationId = request.CorrelationId };
            if (request.Inputs.Count == 0)
            {
                response.Accepted = Accepted;
            }
            else
            {
                // The batch form: one result per input carried, like the real service.
                for (var i = 0; i < request.Inputs.Count + (request.Input is null ? 0 : 1); i++)
                {
                    response.Results.Add(new AcceptInputStreamResult { Accepted = Accepted });
                }
            }

            await responseStream.WriteAsync(response);
        }
    }
}
