namespace Runtime.Server.Mapping;

/// <summary>Repeated filter fields: any of the listed values matches.</summary>
public static class FilterMapping
{
    /// <summary>Maps every value (an unknown one is INVALID_ARGUMENT on <c>field[i]</c>); empty means no filter.</summary>
    public static IReadOnlyList<TDomain> AnyOf<TProto, TDomain>(
        this IReadOnlyList<TProto> values, Func<TProto, string, TDomain> map, string field) =>
        [.. values.Select((value, i) => map(value, $"{field}[{i}]"))];
}
