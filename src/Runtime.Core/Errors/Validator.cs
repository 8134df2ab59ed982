namespace Runtime.Core.Errors;

/// <summary>
/// Collects field violations of one request and throws them together, so a caller learns about every bad field
/// in one round trip (one <c>BadRequest</c> with all of them).
/// </summary>
public sealed class Validator
{
    private readonly List<FieldViolation> _violations = [];

    /// <summary>True when nothing has failed so far.</summary>
    public bool IsValid => _violations.Count == 0;

    /// <summary>Records a violation unless <paramref name="condition"/> holds.</summary>
    public Validator Require(bool condition, string field, string description)
    {
        if (!condition)
        {
            _violations.Add(new FieldViolation(field, description));
        }

        return this;
    }

    /// <summary>Records a violation unconditionally.</summary>
    public Validator Add(string field, string description)
    {
        _violations.Add(new FieldViolation(field, description));
        return this;
    }

    /// <summary>Throws one INVALID_ARGUMENT carrying every violation, if there are any.</summary>
    public void ThrowIfInvalid(string reason = "INVALID_FIELD")
    {
        if (_violations.Count > 0)
        {
            throw Fail.InvalidFields(_violations, reason);
        }
    }
}
