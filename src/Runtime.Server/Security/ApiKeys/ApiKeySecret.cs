using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Runtime.Server.Security.ApiKeys;

/// <summary>
/// The secret form of an API key: <c>rk_&lt;key id&gt;_&lt;secret&gt;</c>, where the key id is 12 hex characters
/// (public, so logs and lists can name the key) and the secret is 256 random bits in base64url. Only its SHA-256
/// hash is stored.
/// </summary>
public static class ApiKeySecret
{
    private const string Prefix = "rk_";
    private const int KeyIdLength = 12;
    private const int SecretBytes = 32;
    private static readonly int EncodedSecretLength = Base64Url.GetEncodedLength(SecretBytes);

    /// <summary>Length of every API key string.</summary>
    public static int Length { get; } = Prefix.Length + KeyIdLength + 1 + EncodedSecretLength;

    /// <summary>A new key id and the full secret string that embeds it.</summary>
    public static (string KeyId, string Secret) Generate()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(KeyIdLength / 2));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        return (keyId, $"{Prefix}{keyId}_{secret}");
    }

    /// <summary>True when the string looks like an API key (as opposed to a JWT or garbage).</summary>
    public static bool LooksLikeApiKey(string token) => token.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The key id embedded in a well-formed API key, or null when the string is not one.</summary>
    public static string? TryGetKeyId(string token)
    {
        if (token.Length != Length || !LooksLikeApiKey(token) || token[Prefix.Length + KeyIdLength] != '_')
        {
            return null;
        }

        var keyId = token.Substring(Prefix.Length, KeyIdLength);
        return keyId.All(char.IsAsciiHexDigitLower) ? keyId : null;
    }

    /// <summary>The SHA-256 of the whole key string: what the store keeps.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Compares a presented key with a stored hash in constant time.</summary>
    public static bool Matches(string token, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(token), storedHash);
}
