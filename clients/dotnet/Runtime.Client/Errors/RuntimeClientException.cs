using System.Collections.ObjectModel;
using Google.Rpc;
using Grpc.Core;
using Runtime.Contracts.V1;
using Status = Grpc.Core.Status;

namespace Runtime.Client.Errors;

/// <summary>
/// A failed call to Runtime, with the server's <c>google.rpc.ErrorInfo</c> and <c>google.rpc.BadRequest</c> decoded
/// from the <c>grpc-status-details-bin</c> trailer. It is an <see cref="RpcException"/>, so code that catches
/// those keeps working; branch on <see cref="Reason"/>, which is stable, rather than on the message.
/// </summary>
public sealed class RuntimeClientException : RpcException
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Creates the exception from its parts; most callers get one from <see cref="From(RpcException)"/>.</summary>
    /// <param name="status">The gRPC status.</param>
    /// <param name="trailers">The response trailers.</param>
    /// <param name="errorInfo">The decoded ErrorInfo, if the server sent one.</param>
    /// <param name="fieldViolations">The decoded bad fields.</param>
    /// <param name="rpcStatus">The decoded rich status, if the server sent one.</param>
    public RuntimeClientException(
        Status status,
        Metadata trailers,
        ErrorInfo? errorInfo,
        IReadOnlyList<Contracts.V1.FieldViolation> fieldViolations,
        Google.Rpc.Status? rpcStatus)
        : base(status, trailers, Describe(status, errorInfo?.Reason))
    {
        Reason = errorInfo?.Reason ?? "";
        Domain = errorInfo?.Domain ?? "";
        Metadata = errorInfo is null ? NoMetadata : new ReadOnlyDictionary<string, string>(errorInfo.Metadata.ToDictionary());
        FieldViolations = fieldViolations;
        RpcStatus = rpcStatus;
    }

    /// <summary>The stable UPPER_SNAKE_CASE reason (for example <c>RUNTIME_NOT_FOUND</c>); empty when the failure
    /// carried no ErrorInfo (a transport failure, or a server that is not Runtime).</summary>
    public string Reason { get; }

    /// <summary>The ErrorInfo domain: <c>runtime</c> for Runtime's own errors; empty without ErrorInfo.</summary>
    public string Domain { get; }

    /// <summary>Every dynamic value the message mentions (for example <c>runtime_id</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The request fields that were missing or malformed (INVALID_ARGUMENT); empty otherwise.</summary>
    public IReadOnlyList<Contracts.V1.FieldViolation> FieldViolations { get; }

    /// <summary>The whole <c>google.rpc.Status</c> the server sent, for details beyond ErrorInfo and BadRequest.</summary>
    public Google.Rpc.Status? RpcStatus { get; }

    /// <summary>Decodes a failed call's rich status. Returns the same instance if it already is one.</summary>
    public static RuntimeClientException From(RpcException exception)
    {
        if (exception is RuntimeClientException typed)
        {
            return typed;
        }

        // A malformed details trailer must not hide the failure itself: fall back to the plain status.
        Google.Rpc.Status? rich;
        try
        {
            rich = exception.GetRpcStatus();
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            rich = null;
        }

        var violations = rich?.GetDetail<BadRequest>()?.FieldViolations
            .Select(v => new Contracts.V1.FieldViolation { Field = v.Field, Description = v.Description })
            .ToList() ?? [];
        return new RuntimeClientException(exception.Status, exception.Trailers, rich?.GetDetail<ErrorInfo>(), violations, rich);
    }

    /// <summary>The exception for one refused item of a stream that reports errors per item
    /// (<c>AcceptInputStream</c>), so both kinds of failure are handled alike.</summary>
    public static RuntimeClientException From(ErrorDetail detail)
    {
        var info = new ErrorInfo { Reason = detail.Reason, Domain = "runtime" };
        info.Metadata.Add(detail.Metadata);
        var status = new Status((StatusCode)detail.Code, detail.Message);
        return new RuntimeClientException(status, Grpc.Core.Metadata.Empty, info, [.. detail.FieldViolations], rpcStatus: null);
    }

    private static string Describe(Status status, string? reason) =>
        string.IsNullOrEmpty(reason)
            ? $"{status.StatusCode}: {status.Detail}"
            : $"{status.StatusCode} {reason}: {status.Detail}";
}
