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

    /// <summary>The rich status of a domain failure, within <see cref="ErrorBounds"/>.</summary>
    public static Google.Rpc.Status ToStatus(RuntimeException error)
    {
        var violations = error.Violations.Take(ErrorBounds.MaxFieldViolations).ToList();
        while (true)
        {
            var omitted = error.Violations.Count - violations.Count;
            var metadata = omitted == 0 ? error.Metadata : WithOmitted(error.Metadata, omitted);
            var omittedNote = omitted == 0 ? "" : $" (and {omitted} more field violations)";
            var status = new Google.Rpc.Status
            {
                Code = (int)ToStatusCode(error.Kind),
                Message = ErrorBounds.Cut(error.Message, ErrorBounds.MaxMessageLength - omittedNote.Length) + omittedNote,
                Details = { Any.Pack(ToErrorInfo(error.Reason, metadata)) },
            };
            if (violations.Count > 0)
            {
                var badRequest = new BadRequest();
                badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation
                {
                    Field = ErrorBounds.Cut(v.Field, ErrorBounds.MaxFieldLength),
                    Description = ErrorBounds.Cut(v.Description, ErrorBounds.MaxDescriptionLength),
                }));
                status.Details.Add(Any.Pack(badRequest));
            }

            if (violations.Count == 0 || status.CalculateSize() <= ErrorBounds.MaxStatusBytes)
            {
                return status;
            }

            violations.RemoveAt(violations.Count - 1);
        }
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
            Message = ErrorBounds.Cut(message, ErrorBounds.MaxMessageLength),
            Details = { Any.Pack(ToErrorInfo(reason, metadata)) },
        };

    /// <summary>The in-stream form of a domain failure, for streams that answer errors per item.</summary>
    public static ErrorDetail ToErrorDetail(RuntimeException error)
    {
        // The same bounds as the status: one oversized item must not make its stream's message too large.
        var status = ToStatus(error);
        var info = status.Details[0].Unpack<ErrorInfo>();
        var detail = new ErrorDetail { Code = status.Code, Reason = info.Reason, Message = status.Message };
        detail.Metadata.Add(info.Metadata);
        if (status.Details.Count > 1)
        {
            detail.FieldViolations.AddRange(status.Details[1].Unpack<BadRequest>().FieldViolations.Select(v =>
                new Contracts.V1.FieldViolation { Field = v.Field, Description = v.Description }));
        }

        return detail;
    }

    private static ErrorInfo ToErrorInfo(string reason, IReadOnlyDictionary<string, string> metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        foreach (var (key, value) in metadata.Take(ErrorBounds.MaxMetadataEntries))
        {
            info.Metadata[ErrorBounds.Cut(key, ErrorBounds.MaxMetadataKeyLength)] = ErrorBounds.Cut(value, ErrorBounds.MaxMetadataValueLength);
        }

        // The count of left-out violations is the one entry that must survive the cut.
        if (metadata.TryGetValue(ErrorBounds.OmittedViolationsKey, out var omitted))
        {
            info.Metadata[ErrorBounds.OmittedViolationsKey] = omitted;
        }

        return info;
    }

    private static Dictionary<string, string> WithOmitted(IReadOnlyDictionary<string, string> metadata, int omitted) =>
        new(metadata) { [ErrorBounds.OmittedViolationsKey] = omitted.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
