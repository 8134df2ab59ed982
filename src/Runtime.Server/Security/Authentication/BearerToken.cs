namespace Runtime.Server.Security.Authentication;

/// <summary>What a request's <c>authorization</c> header holds.</summary>
/// <param name="IsMissing">No header at all.</param>
/// <param name="Value">The bearer credential, or null when the header is present but not <c>Bearer &lt;value&gt;</c>.</param>
public readonly record struct BearerToken(bool IsMissing, string? Value)
{
    private const string Scheme = "Bearer ";

    /// <summary>Reads the header of a request.</summary>
    public static BearerToken Read(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return new BearerToken(true, null);
        }

        var value = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : "";
        return new BearerToken(false, value.Length > 0 ? value : null);
    }

    /// <summary>True when the value has the three dot-separated parts of a compact JWT.</summary>
    public bool LooksLikeJwt => Value is { } v && v.Count(c => c == '.') == 2;
}
