using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Core.Errors;

namespace Runtime.Server.Errors;

/// <summary>
/// The one place that turns domain failures into gRPC answers: a canonical code and a <c>google.rpc.Status</c>
/// with exactly one <see cref="ErrorInfo"/> (domain <c>runtime</c>) and, for bad fields, one <see cref="BadRequest"/>.
/// </summary>
public static class ErrorMapping
{
    /// <summary>The ErrorInfo domain of every error Runtime returns.</summary>
    public const string Domain = "runtime";

    /// <summary>The canonical code of a domain error kind.</summary>
    public static StatusCode ToStatusCode(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        ErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        ErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        ErrorKind.Aborted => StatusCode.Aborted,
        ErrorKind.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };

    /// <summary>The rich status of a domain failure.</summary>
    public static Google.Rpc.Status ToStatus(RuntimeException error)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)ToStatusCode(error.Kind),
            Message = error.Message,
            Details = { Any.Pack(ToErrorInfo(error.Reason, error.Metadata)) },
        };
        if (error.Violations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(error.Violations.Select(v =>
                new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }

        return status;
    }

    /// <summary>The exception a gRPC handler throws for a domain failure (details in grpc-status-details-bin).</summary>
    public static RpcException ToRpcException(RuntimeException error) => ToStatus(error).ToRpcException();

    /// <summary>A rich status for a failure that is not a domain error (shutdown, internal).</summary>
    public static RpcException ToRpcException(StatusCode code, string reason, string message) =>
        ToStatus(code, reason, message, new Dictionary<string, string>()).ToRpcException();

    /// <summary>
    /// The rich status of a failure decided outside the domain (authentication, limits), with metadata for every
    /// dynamic value of the message.
    /// </summary>
    public static Google.Rpc.Status ToStatus(
        StatusCode code, string reason, string message, IReadOnlyDictionary<string, string> metadata) =>
        new()
        {
            Code = (int)code,
            Message = message,
            Details = { Any.Pack(ToErrorInfo(reason, metadata)) },
        };

    /// <summary>The in-stream form of a domain failure, for streams that answer errors per item.</summary>
    public static ErrorDetail ToErrorDetail(RuntimeException error)
    {
        var detail = new ErrorDetail
        {
            Code = (int)ToStatusCode(error.Kind),
            Reason = error.Reason,
            Message = error.Message,
        };
        foreach (var (key, value) in error.Metadata)
        {
            detail.Metadata[key] = value;
        }

        detail.FieldViolations.AddRange(error.Violations.Select(v =>
            new Contracts.V1.FieldViolation { Field = v.Field, Description = v.Description }));
        return detail;
    }

    private static ErrorInfo ToErrorInfo(string reason, IReadOnlyDictionary<string, string> metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        foreach (var (key, value) in metadata)
        {
            info.Metadata[key] = value;
        }

        return info;
    }
}
