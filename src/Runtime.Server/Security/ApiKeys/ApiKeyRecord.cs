namespace Runtime.Server.Security.ApiKeys;

/// <summary>An API key as stored: its hash, never its secret.</summary>
/// <param name="KeyId">Public identifier (also embedded in the secret).</param>
/// <param name="Name">Who or what the key is for.</param>
/// <param name="Scopes">What it allows.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">When it stops working, if ever.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="SecretHash">SHA-256 of the key string.</param>
public sealed record ApiKeyRecord(
    string KeyId,
    string Name,
    IReadOnlySet<Access> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    byte[] SecretHash)
{
    /// <summary>Whether the key has expired at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expiry && expiry <= now;
}

/// <summary>A newly created key and its secret, which exists only in this object and the caller's hands.</summary>
/// <param name="Key">The key as stored.</param>
/// <param name="Secret">The full key string to present as a bearer token.</param>
public sealed record CreatedApiKey(ApiKeyRecord Key, string Secret);

/// <summary>One page of keys.</summary>
/// <param name="Keys">The keys, oldest first.</param>
/// <param name="NextPageToken">Where the next page starts; empty when there is none.</param>
public sealed record ApiKeyPage(IReadOnlyList<ApiKeyRecord> Keys, string NextPageToken);
