using Google.Protobuf;
using Runtime.Contracts.V1;
using Runtime.Core.Delivery;
using ProtoPayloadType = Runtime.Contracts.V1.PayloadType;

namespace Runtime.Transports.Wires;

/// <summary>Maps runs to the wire messages every network wire shares (gRPC, WebSocket and HTTP carry the same bytes).</summary>
public static class DeliveryMessages
{
    /// <summary>The request for one run; <paramref name="deliveryId"/> matches the answer on duplex wires.</summary>
    public static DeliverRequest ToRequest(RunDelivery run, ulong deliveryId)
    {
        var request = new DeliverRequest
        {
            DeliveryId = deliveryId,
            RuntimeId = run.RuntimeId,
            RunId = run.RunId,
            Attempt = (uint)Math.Max(0, run.Attempt),
        };
        foreach (var item in run.Items)
        {
            var message = new Contracts.V1.DeliveryItem
            {
                InputId = item.InputId,
                Kind = item.Kind,
                Payload = ByteString.CopyFrom(item.Payload.Span),
                ContentType = item.ContentType,
                PayloadType = ToProto(item.PayloadType),
            };
            foreach (var (key, value) in item.Headers)
            {
                message.Headers[key] = value;
            }

            request.Items.Add(message);
        }

        return request;
    }

    /// <summary>What a destination's acknowledgement means for the run.</summary>
    public static DeliveryResult ToResult(DeliverResponse response) => response.Status switch
    {
        DeliveryAckStatus.Acked => DeliveryResult.Acked,
        DeliveryAckStatus.Rejected => new DeliveryResult(DeliveryStatus.PermanentFailure, OrDefault(response.Error, "rejected by the destination")),
        DeliveryAckStatus.Retry => new DeliveryResult(
            DeliveryStatus.RetryableFailure,
            OrDefault(response.Error, "the destination asked to retry"),
            RetryAfter(response.RetryAfter)),
        // An answer without a status is a destination bug; retrying keeps the inputs rather than losing them.
        _ => new DeliveryResult(DeliveryStatus.RetryableFailure, "the destination answered without a status"),
    };

    /// <summary>
    /// A destination's Retry-After as a wait: held to <see cref="Core.Policies.RetryBackoff.MaxRetryAfter"/>, and
    /// ignored when it is not a valid non-negative duration (a destination bug must not fail the wire).
    /// </summary>
    public static TimeSpan? RetryAfter(Google.Protobuf.WellKnownTypes.Duration? duration)
    {
        if (duration is null || duration.Seconds < 0 || duration.Nanos is < 0 or >= 1_000_000_000)
        {
            return null;
        }

        var max = Core.Policies.RetryBackoff.MaxRetryAfter;
        return duration.Seconds >= (long)max.TotalSeconds ? max : Core.Timing.SaturatingTime.Min(duration.ToTimeSpan(), max);
    }

    /// <summary>The wire form of a lane.</summary>
    public static ProtoPayloadType ToProto(Core.Delivery.PayloadType type) => type switch
    {
        Core.Delivery.PayloadType.RpcSignal => ProtoPayloadType.RpcSignal,
        Core.Delivery.PayloadType.StreamReliable => ProtoPayloadType.StreamReliable,
        Core.Delivery.PayloadType.StreamLatencyFirst => ProtoPayloadType.StreamLatencyFirst,
        _ => ProtoPayloadType.RpcReliable,
    };

    private static string OrDefault(string value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;
}
