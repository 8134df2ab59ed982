using Google.Protobuf.WellKnownTypes;
using Runtime.Contracts.V1;

namespace Runtime.SampleSink;

/// <summary>How the sink answers one delivery, whatever the wire.</summary>
/// <param name="Response">The acknowledgement to send (null when the connection is to be dropped).</param>
/// <param name="HttpStatus">The HTTP status for the HTTP endpoint.</param>
/// <param name="RetryAfter">The Retry-After to send with a retry.</param>
public readonly record struct DeliveryAnswer(DeliverResponse? Response, int HttpStatus, TimeSpan? RetryAfter)
{
    /// <summary>Drop the connection instead of answering.</summary>
    public bool Drop => Response is null;
}

/// <summary>Applies deliveries to the ledger with the configured faults; shared by the gRPC, WebSocket and HTTP endpoints.</summary>
public sealed class DeliveryProcessor(SinkLedger ledger, FaultInjector faults, TimeProvider time, ILogger<DeliveryProcessor> logger)
{
    /// <summary>Handles one delivery received on <paramref name="wire"/>.</summary>
    public async Task<DeliveryAnswer> ProcessAsync(DeliverRequest request, string wire, CancellationToken cancellationToken)
    {
        var fault = faults.Next();
        if (fault.Delay > TimeSpan.Zero)
        {
            await Task.Delay(fault.Delay, time, cancellationToken);
        }

        if (fault.Status is { } status and (< 200 or > 299))
        {
            ledger.Refused();
            var retry = status == 429 || status >= 500;
            logger.LogInformation("Refused run {RunId} attempt {Attempt} of {RuntimeId} via {Wire} with status {Status}",
                request.RunId, request.Attempt, request.RuntimeId, wire, status);
            var refusal = new DeliverResponse
            {
                DeliveryId = request.DeliveryId,
                Status = retry ? DeliveryAckStatus.Retry : DeliveryAckStatus.Rejected,
                Error = $"injected fault: status {status}",
            };
            if (retry && fault.RetryAfter is { } after)
            {
                refusal.RetryAfter = Duration.FromTimeSpan(after);
            }

            return new DeliveryAnswer(refusal, status, retry ? fault.RetryAfter : null);
        }

        var duplicates = ledger.Record(request);
        logger.LogInformation(
            "Received run {RunId} attempt {Attempt} of {RuntimeId} via {Wire}: {Items} inputs, {Duplicates} repeats",
            request.RunId, request.Attempt, request.RuntimeId, wire, request.Items.Count, duplicates);
        if (fault.Drop)
        {
            ledger.Dropped();
            return new DeliveryAnswer(null, 0, null);
        }

        return new DeliveryAnswer(
            new DeliverResponse { DeliveryId = request.DeliveryId, Status = DeliveryAckStatus.Acked },
            StatusCodes.Status200OK,
            null);
    }
}
