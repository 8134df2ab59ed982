using System.Globalization;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Runtime.Server.Errors;

namespace Runtime.Server.Security;

/// <summary>
/// Answers a request that middleware refuses before any gRPC handler runs (authentication, limits) the way a
/// handler would: HTTP 200, a trailers-only gRPC response whose headers carry <c>grpc-status</c>,
/// <c>grpc-message</c> and the <c>google.rpc.Status</c> (with its ErrorInfo) in <c>grpc-status-details-bin</c>.
/// </summary>
public static class GrpcStatusResponse
{
    /// <summary>Writes the status and ends the response.</summary>
    public static Task WriteAsync(
        HttpContext context, StatusCode code, string reason, string message,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var status = ErrorMapping.ToStatus(code, reason, message, metadata ?? new Dictionary<string, string>());
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        SetStatusHeaders(response.Headers, status);
        return response.CompleteAsync();
    }

    /// <summary>Puts a rich status into response headers (or trailers): code, encoded message and details.</summary>
    public static void SetStatusHeaders(IHeaderDictionary headers, Google.Rpc.Status status)
    {
        headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        headers["grpc-message"] = PercentEncode(status.Message);
        headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
    }

    /// <summary>The gRPC wire form of a status message: printable ASCII except '%' as is, the rest percent-encoded UTF-8.</summary>
    private static string PercentEncode(string message)
    {
        var builder = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
