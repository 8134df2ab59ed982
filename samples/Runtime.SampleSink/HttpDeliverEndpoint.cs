using System.Globalization;
using Google.Protobuf;
using Runtime.Contracts.V1;

namespace Runtime.SampleSink;

/// <summary>
/// <c>POST /deliver</c>: the body is one protobuf <see cref="DeliverRequest"/> (<c>application/x-protobuf</c>);
/// 200 with a <see cref="DeliverResponse"/> body acknowledges it.
/// </summary>
public static class HttpDeliverEndpoint
{
    private const long MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>Handles one POST.</summary>
    public static async Task HandleAsync(HttpContext context, DeliveryProcessor processor, SinkLedger ledger)
    {
        ledger.Opened("http");
        try
        {
            DeliverRequest request;
            try
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                if (body.Length > MaxBodyBytes)
                {
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    return;
                }

                request = DeliverRequest.Parser.ParseFrom(body.GetBuffer().AsSpan(0, (int)body.Length));
            }
            catch (InvalidProtocolBufferException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            var answer = await processor.ProcessAsync(request, "http", context.RequestAborted);
            if (answer.Drop)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = answer.HttpStatus;
            if (answer.RetryAfter is { } after)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            context.Response.ContentType = "application/x-protobuf";
            await context.Response.Body.WriteAsync(answer.Response!.ToByteArray(), context.RequestAborted);
        }
        finally
        {
            ledger.Closed("http");
        }
    }
}
