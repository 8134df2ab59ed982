namespace Runtime.Server.Security;

/// <summary>What a call needs from its caller. The three scopes are what credentials carry.</summary>
public enum Access
{
    /// <summary>Nothing: served to anyone (health checks).</summary>
    Anonymous,

    /// <summary>Any valid credential, whatever its scopes (reflection, WhoAmI).</summary>
    Authenticated,

    /// <summary>Scope <c>ingest</c>: push inputs and read their state.</summary>
    Ingest,

    /// <summary>Scope <c>observe</c>: read-only calls and streams.</summary>
    Observe,

    /// <summary>Scope <c>admin</c>: everything; a credential with it passes every check.</summary>
    Admin,
}

/// <summary>Names of the scopes as they appear in API keys, JWT <c>scope</c>/<c>scp</c> claims and the command line.</summary>
public static class ScopeNames
{
    /// <summary>The scopes a credential can carry, by name.</summary>
    public static IReadOnlyDictionary<string, Access> All { get; } = new Dictionary<string, Access>(StringComparer.Ordinal)
    {
        ["ingest"] = Access.Ingest,
        ["observe"] = Access.Observe,
        ["admin"] = Access.Admin,
    };

    /// <summary>The name of a scope (<c>ingest</c>, <c>observe</c>, <c>admin</c>).</summary>
    public static string Of(Access scope) => scope switch
    {
        Access.Ingest => "ingest",
        Access.Observe => "observe",
        Access.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "not a scope a credential carries"),
    };

    /// <summary>True when a credential holding <paramref name="granted"/> satisfies <paramref name="required"/>.</summary>
    public static bool Satisfies(IReadOnlySet<Access> granted, Access required) => required switch
    {
        Access.Anonymous or Access.Authenticated => true,
        _ => granted.Contains(Access.Admin) || granted.Contains(required),
    };
}
