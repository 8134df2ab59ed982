using System.Globalization;
using ErrorInfo = Google.Rpc.ErrorInfo;
using Grpc.Core;
using Runtime.Server.Errors;

namespace Runtime.Server.Tests.Hostile;

/// <summary>What an error costs in headers: the message as gRPC percent-encodes it plus every trailer, base64 for binary ones.</summary>
public static class ErrorSize
{
    /// <summary>The bytes of the error headers a client receives for <paramref name="status"/> and <paramref name="trailers"/>.</summary>
    public static int HeaderBytes(Status status, Metadata trailers)
    {
        var message = System.Text.Encoding.UTF8.GetBytes(status.Detail)
            .Sum(b => b is >= 0x20 and <= 0x7E && b != (byte)'%' ? 1 : 3);
        var rest = trailers.Sum(e => e.Key.Length + (e.IsBinary ? (e.ValueBytes.Length + 2) / 3 * 4 : e.Value.Length));
        return message + rest + "grpc-status".Length + ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture).Length;
    }

    /// <summary>One ErrorInfo in domain runtime, a message and headers within the documented bounds.</summary>
    public static void AssertBounded(RpcException error, StatusCode code)
    {
        Assert.Equal(code, error.StatusCode);
        Assert.True(error.Status.Detail.Length <= ErrorBounds.MaxMessageLength, $"message of {error.Status.Detail.Length} characters");
        Assert.True(ErrorSize.HeaderBytes(error.Status, error.Trailers) <= ErrorBounds.MaxErrorHeaderBytes,
            $"error headers of {ErrorSize.HeaderBytes(error.Status, error.Trailers)} bytes");
        var status = error.GetRpcStatus()!;
        Assert.Equal("runtime", Assert.Single(status.Details, d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>().Domain);
        Assert.All(status.GetDetail<ErrorInfo>().Metadata, m => Assert.True(m.Value.Length <= ErrorBounds.MaxMetadataValueLength));
    }
}
