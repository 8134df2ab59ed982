using Runtime.Core.Delivery;

namespace Runtime.Transports.Tests.Support;

/// <summary>Builds runs to deliver.</summary>
internal static class Runs
{
    /// <summary>A run of one input, with a small payload and a header.</summary>
    public static RunDelivery Of(string destination, string runtimeId, string inputId, PayloadType type = PayloadType.RpcReliable, int attempt = 1) =>
        new(runtimeId, "run-" + inputId, destination, attempt,
        [
            new DeliveryItem(inputId, "test.kind", "payload"u8.ToArray(), "text/plain",
                new Dictionary<string, string> { ["trace"] = inputId }, type),
        ]);
}
