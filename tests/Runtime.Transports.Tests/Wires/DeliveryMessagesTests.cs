using Google.Protobuf.WellKnownTypes;
using Runtime.Contracts.V1;
using Runtime.Core.Delivery;
using Runtime.Transports.Tests.Support;
using Runtime.Transports.Wires;

namespace Runtime.Transports.Tests.Wires;

public class DeliveryMessagesTests
{
    [Fact]
    public void A_request_carries_the_dedupe_key_and_every_item_field()
    {
        var run = Runs.Of("d", "rt-7", "in-1", Core.Delivery.PayloadType.StreamLatencyFirst, attempt: 3);

        var request = DeliveryMessages.ToRequest(run, deliveryId: 42);

        Assert.Equal(42ul, request.DeliveryId);
        Assert.Equal(("rt-7", "run-in-1", 3u), (request.RuntimeId, request.RunId, request.Attempt));
        var item = Assert.Single(request.Items);
        Assert.Equal(("in-1", "test.kind", "text/plain", "payload"), (item.InputId, item.Kind, item.ContentType, item.Payload.ToStringUtf8()));
        Assert.Equal("in-1", item.Headers["trace"]);
        Assert.Equal(Contracts.V1.PayloadType.StreamLatencyFirst, item.PayloadType);
    }

    [Fact]
    public void Answers_map_to_delivery_results()
    {
        Assert.Equal(DeliveryStatus.Acked, DeliveryMessages.ToResult(new DeliverResponse { Status = DeliveryAckStatus.Acked }).Status);

        var retry = DeliveryMessages.ToResult(new DeliverResponse
        {
            Status = DeliveryAckStatus.Retry,
            Error = "busy",
            RetryAfter = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)),
        });
        Assert.Equal(new DeliveryResult(DeliveryStatus.RetryableFailure, "busy", TimeSpan.FromSeconds(3)), retry);

        Assert.Equal(DeliveryStatus.PermanentFailure, DeliveryMessages.ToResult(new DeliverResponse { Status = DeliveryAckStatus.Rejected }).Status);
        Assert.Equal(DeliveryStatus.RetryableFailure, DeliveryMessages.ToResult(new DeliverResponse()).Status);
    }
}
