using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Runtime.Server.Errors;
using Runtime.Server.Hosting;

namespace Runtime.Server.Security.Limits;

/// <summary>
/// grpc-dotnet refuses a request message over <c>Runtime:MaxMessageBytes</c> with a bare RESOURCE_EXHAUSTED, before
/// any interceptor runs for unary and server-streaming calls. This gives that answer the same ErrorInfo as every
/// other error (<c>MESSAGE_TOO_LARGE</c>, metadata <c>max_message_bytes</c>): the middleware rewrites the
/// trailers-only headers just before they are sent; <see cref="LimitsInterceptor"/> handles streaming requests.
/// </summary>
public sealed class MessageSizeStatus(RequestDelegate next, IOptions<ServerOptions> server)
{
    /// <summary>The header (or trailer) holding the rich status.</summary>
    public const string DetailsHeader = "grpc-status-details-bin";

    // grpc-dotnet's fixed message for this case.
    private const string FrameworkMessage = "Received message exceeds the maximum configured message size";

    /// <summary>Watches the response of every gRPC request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                if (IsTooLarge(headers["grpc-status"].ToString(), headers["grpc-message"].ToString(), headers.ContainsKey(DetailsHeader)))
                {
                    GrpcStatusResponse.SetStatusHeaders(headers, ToStatus(server.Value.MaxMessageBytes));
                }

                return Task.CompletedTask;
            });
        }

        return next(context);
    }

    /// <summary>Whether an answer is grpc-dotnet's bare refusal of an oversized request message.</summary>
    public static bool IsTooLarge(StatusCode code, string message, byte[]? details) =>
        code == StatusCode.ResourceExhausted && details is null && message.StartsWith(FrameworkMessage, StringComparison.Ordinal);

    /// <summary>The rich answer to an oversized request message.</summary>
    public static RpcException ToRpcException(int maxMessageBytes) => ToStatus(maxMessageBytes).ToRpcException();

    private static bool IsTooLarge(string code, string message, bool hasDetails) =>
        code == ((int)StatusCode.ResourceExhausted).ToString(CultureInfo.InvariantCulture)
        && IsTooLarge(StatusCode.ResourceExhausted, message, hasDetails ? [] : null);

    private static Google.Rpc.Status ToStatus(int maxMessageBytes) => ErrorMapping.ToStatus(
        StatusCode.ResourceExhausted, LimitReasons.MessageTooLarge,
        $"a request message is larger than the maximum of {maxMessageBytes} bytes",
        new Dictionary<string, string> { ["max_message_bytes"] = maxMessageBytes.ToString(CultureInfo.InvariantCulture) });
}
