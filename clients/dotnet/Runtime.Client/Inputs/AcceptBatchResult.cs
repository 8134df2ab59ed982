using Runtime.Client.Errors;
using Runtime.Contracts.V1;

namespace Runtime.Client.Inputs;

/// <summary>
/// The answer for one input of <see cref="RuntimeClient.AcceptBatchAsync"/>: accepted (with its id and outcome), or
/// refused with the error a unary <c>AcceptInput</c> would have thrown for it.
/// </summary>
/// <param name="Accepted">The accept answer; null when refused.</param>
/// <param name="Error">Why this input was refused; null when accepted.</param>
public sealed record AcceptBatchResult(AcceptInputResponse? Accepted, RuntimeClientException? Error)
{
    /// <summary>Whether the server took the input (accepted, or a duplicate of an earlier one).</summary>
    public bool IsAccepted => Accepted is not null;
}
