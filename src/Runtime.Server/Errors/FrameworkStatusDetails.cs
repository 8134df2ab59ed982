using System.Globalization;
using Grpc.Core;
using Runtime.Server.Binding;
using Runtime.Server.Security;

namespace Runtime.Server.Errors;

/// <summary>
/// grpc-dotnet answers some calls itself, before any handler or interceptor, with a bare status: an unknown service or
/// method (UNIMPLEMENTED), a request frame cut short (INTERNAL "Incomplete message."). This gives those answers the
/// same rich status as every other error, just before the trailers-only headers are sent: UNIMPLEMENTED
/// <c>METHOD_NOT_IMPLEMENTED</c>, and INVALID_ARGUMENT <c>MALFORMED_REQUEST</c> for a truncated frame.
/// </summary>
public sealed class FrameworkStatusDetails(RequestDelegate next)
{
    /// <summary>The ErrorInfo reason of a method this server does not serve.</summary>
    public const string MethodNotImplemented = "METHOD_NOT_IMPLEMENTED";

    /// <summary>Watches the response of every gRPC request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                if (!headers.ContainsKey("grpc-status-details-bin") && ToStatus(headers["grpc-status"].ToString(), headers["grpc-message"].ToString(), context.Request.Path) is { } status)
                {
                    GrpcStatusResponse.SetStatusHeaders(headers, status);
                }

                return Task.CompletedTask;
            });
        }

        return next(context);
    }

    private static Google.Rpc.Status? ToStatus(string code, string message, PathString path)
    {
        var method = path.Value?.TrimStart('/') ?? "";
        if (code == ((int)StatusCode.Unimplemented).ToString(CultureInfo.InvariantCulture))
        {
            return ErrorMapping.ToStatus(StatusCode.Unimplemented, MethodNotImplemented,
                $"this server does not serve {method}", new Dictionary<string, string> { ["method"] = method });
        }

        if (code == ((int)StatusCode.Internal).ToString(CultureInfo.InvariantCulture) && message.StartsWith("Incomplete message", StringComparison.Ordinal))
        {
            return ErrorMapping.ToStatus(StatusCode.InvalidArgument, MalformedRequest.Reason,
                "the request ended inside a message frame", new Dictionary<string, string> { ["method"] = method });
        }

        return null;
    }
}
