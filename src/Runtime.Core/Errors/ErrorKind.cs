namespace Runtime.Core.Errors;

/// <summary>What kind of failure a domain operation hit; the server maps each to one canonical gRPC code.</summary>
public enum ErrorKind
{
    /// <summary>The request itself is malformed (a field is missing, too long, of the wrong form).</summary>
    InvalidArgument,

    /// <summary>A named thing (runtime, input, run, receipt, destination) does not exist.</summary>
    NotFound,

    /// <summary>A thing with that name exists and differs from what was asked for.</summary>
    AlreadyExists,

    /// <summary>The request is well formed but the current state forbids it (a lifecycle rule).</summary>
    FailedPrecondition,

    /// <summary>A limit or quota was hit; retrying later may succeed.</summary>
    ResourceExhausted,

    /// <summary>A concurrent change won (an owner epoch or expected sequence did not match).</summary>
    Aborted,

    /// <summary>A dependency (store, destination) is not available right now.</summary>
    Unavailable,

    /// <summary>An invariant broke inside the service (for example a ledger that contradicts itself).</summary>
    Internal,
}
