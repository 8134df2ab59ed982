using Runtime.Core.Errors;

namespace Runtime.Server.Mapping;

/// <summary>Repeated filter fields that the domain takes one value of.</summary>
public static class FilterMapping
{
    /// <summary>
    /// Null for an empty list, the mapped value for one; more than one is INVALID_ARGUMENT (the ledger filters on one
    /// state or phase per query today; the field is repeated so that can widen without a contract change).
    /// </summary>
    public static TDomain? SingleFilter<TProto, TDomain>(
        this IReadOnlyList<TProto> values, Func<TProto, string, TDomain> map, string field)
        where TDomain : struct => values.Count switch
        {
            0 => null,
            1 => map(values[0], $"{field}[0]"),
            _ => throw Fail.InvalidField(field, "at most one value is supported"),
        };
}
