using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Runtime.Server.Security;

namespace Runtime.Server.Tests.Security;

/// <summary>
/// Every mapped method (whatever services the host maps, plus stubs for runtime.v1 services not mapped yet) ×
/// every kind of credential → exactly the declared answer. Handlers are replaced by a probe, so "allowed" means
/// the call got past every security check.
/// </summary>
public sealed class AccessMatrixTests
{
    private sealed record Credential(string Name, string? Authorization, string? Failure, Access? Scope);

    [Fact]
    public async Task Every_mapped_method_answers_every_credential_exactly_as_declared()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SecuredServer.StartAsync(new Dictionary<string, string>
        {
            ["Runtime:Security:RequireAuthentication"] = "true",
            ["Runtime:Security:Jwt:SigningKey"] = SecuredServer.JwtKey,
        }, probeHandlers: true, time: time);
        var credentials = Credentials(server, time);
        var methods = server.MappedMethods.Select(m => m.Method).DistinctBy(m => m.FullName).ToList();
        Assert.Contains(methods, m => m.FullName == "/runtime.v1.RuntimeDriverService/AcceptInputStream");
        Assert.Contains(methods, m => m.FullName == "/runtime.v1.AccessService/RevokeApiKey");

        var mismatches = new List<string>();
        foreach (var method in methods)
        {
            var required = MethodAccessTable.Find(method.FullName.TrimStart('/'))!.Value;
            foreach (var credential in credentials)
            {
                var error = await RawCalls.CallAsync(server.Channel, method.ServiceName, method.Name, method.Type,
                    SecuredServer.With(credential.Authorization));
                var expected = Expected(required, credential);
                var actual = Describe(error);
                if (expected != actual)
                {
                    mismatches.Add($"{method.FullName} with {credential.Name}: expected {expected}, got {actual}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    [Fact]
    public async Task Without_authentication_every_method_is_allowed_whatever_is_presented()
    {
        await using var server = await SecuredServer.StartAsync(probeHandlers: true);
        var methods = server.MappedMethods.Select(m => m.Method).DistinctBy(m => m.FullName).ToList();

        foreach (var method in methods)
        {
            foreach (var authorization in new[] { null, "Bearer not-a-credential" })
            {
                var error = await RawCalls.CallAsync(server.Channel, method.ServiceName, method.Name, method.Type,
                    SecuredServer.With(authorization));
                Assert.Equal($"{method.FullName}: allowed", $"{method.FullName}: {Describe(error)}");
            }
        }
    }

    private static List<Credential> Credentials(SecuredServer server, FakeTimeProvider time)
    {
        var revoked = server.Keys.Create("revoked", [Access.Admin], null);
        server.Keys.Revoke(revoked.Key.KeyId);
        var expiring = server.Keys.Create("expiring", [Access.Admin], time.GetUtcNow().AddMinutes(1));
        time.Advance(TimeSpan.FromMinutes(2));
        string Key(Access scope) => $"Bearer {server.Keys.Create(scope.ToString(), [scope], null).Secret}";
        var guessed = $"Bearer rk_{revoked.Key.KeyId}_{new string('A', 43)}";

        return
        [
            new("no credential", null, "MISSING_CREDENTIALS", null),
            new("malformed bearer", "Bearer not-a-credential", "INVALID_CREDENTIALS", null),
            new("not a bearer", "Basic dXNlcjpwYXNz", "INVALID_CREDENTIALS", null),
            new("wrong secret for a known key id", guessed, "INVALID_CREDENTIALS", null),
            new("expired API key", $"Bearer {expiring.Secret}", "CREDENTIALS_EXPIRED", null),
            new("revoked API key", $"Bearer {revoked.Secret}", "API_KEY_REVOKED", null),
            new("expired JWT", $"Bearer {SecuredServer.Jwt(new Dictionary<string, object> { ["scope"] = "admin" }, expiresIn: TimeSpan.FromHours(-1))}", "CREDENTIALS_EXPIRED", null),
            new("JWT with a wrong signature", $"Bearer {SecuredServer.Jwt(new Dictionary<string, object> { ["scope"] = "admin" }, key: "another-key-that-is-also-32-bytes-long")}", "INVALID_CREDENTIALS", null),
            new("ingest API key", Key(Access.Ingest), null, Access.Ingest),
            new("observe API key", Key(Access.Observe), null, Access.Observe),
            new("admin API key", Key(Access.Admin), null, Access.Admin),
            new("ingest JWT (scp)", $"Bearer {SecuredServer.Jwt(new Dictionary<string, object> { ["scp"] = "ingest" })}", null, Access.Ingest),
            new("observe JWT (scope)", $"Bearer {SecuredServer.Jwt(new Dictionary<string, object> { ["scope"] = "openid observe" })}", null, Access.Observe),
            new("admin JWT (scp array)", $"Bearer {SecuredServer.Jwt(new Dictionary<string, object> { ["scp"] = new[] { "admin" } })}", null, Access.Admin),
        ];
    }

    private static string Expected(Access required, Credential credential) => (required, credential) switch
    {
        (Access.Anonymous, _) => "allowed",
        (_, { Failure: { } reason }) => $"UNAUTHENTICATED {reason}",
        (Access.Authenticated, _) => "allowed",
        (_, { Scope: Access.Admin }) => "allowed",
        _ when credential.Scope == required => "allowed",
        _ => $"PERMISSION_DENIED INSUFFICIENT_SCOPE {ScopeNames.Of(required)}",
    };

    private static string Describe(RpcException? error)
    {
        if (error is null || (error.StatusCode == StatusCode.Aborted && error.Status.Detail == HandlerReachedProbe.Marker))
        {
            return "allowed";
        }

        var info = RawCalls.Info(error);
        return error.StatusCode switch
        {
            StatusCode.Unauthenticated when info.Domain == "runtime" => $"UNAUTHENTICATED {info.Reason}",
            StatusCode.PermissionDenied when info.Domain == "runtime" =>
                $"PERMISSION_DENIED {info.Reason} {info.Metadata.GetValueOrDefault("required_scope")}",
            _ => $"{error.StatusCode} {info.Reason} ({error.Status.Detail})",
        };
    }
}
