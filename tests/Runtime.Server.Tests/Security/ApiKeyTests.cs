using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Runtime.Contracts.V1;
using Runtime.Server.Security.ApiKeys;

namespace Runtime.Server.Tests.Security;

public sealed class ApiKeyTests
{
    private static readonly Dictionary<string, string> AuthOn = new() { ["Runtime:Security:RequireAuthentication"] = "true" };

    [Fact]
    public async Task An_admin_creates_a_key_that_works_at_once_and_stops_working_when_revoked_without_a_restart()
    {
        await using var server = await SecuredServer.StartAsync(AuthOn);
        var admin = $"Bearer {server.Keys.Create("bootstrap", [Runtime.Server.Security.Access.Admin], null).Secret}";
        var client = new AccessService.AccessServiceClient(server.Channel);

        var created = await client.CreateApiKeyAsync(
            new CreateApiKeyRequest { Name = "billing", Scopes = { Scope.Ingest, Scope.Observe } }, SecuredServer.With(admin));
        var me = await client.WhoAmIAsync(new WhoAmIRequest(), SecuredServer.With($"Bearer {created.Secret}"));

        Assert.Equal($"apikey:{created.ApiKey.KeyId}", me.Principal);
        Assert.Equal(CredentialKind.ApiKey, me.CredentialKind);
        Assert.Equal([Scope.Ingest, Scope.Observe], me.Scopes);
        Assert.Equal("billing", me.DisplayName);
        Assert.True(me.AuthenticationEnabled);

        var listed = await client.ListApiKeysAsync(new ListApiKeysRequest(), SecuredServer.With(admin));
        Assert.Contains(listed.ApiKeys, k => k.KeyId == created.ApiKey.KeyId && k.RevokeTime is null);
        Assert.DoesNotContain(created.Secret, listed.ToString(), StringComparison.Ordinal);

        var revoked = await client.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = created.ApiKey.KeyId }, SecuredServer.With(admin));
        Assert.NotNull(revoked.ApiKey.RevokeTime);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.WhoAmIAsync(new WhoAmIRequest(), SecuredServer.With($"Bearer {created.Secret}")).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("API_KEY_REVOKED", RawCalls.Info(error).Reason);
        Assert.Equal(created.ApiKey.KeyId, RawCalls.Info(error).Metadata["key_id"]);

        var active = await client.ListApiKeysAsync(new ListApiKeysRequest(), SecuredServer.With(admin));
        Assert.DoesNotContain(active.ApiKeys, k => k.KeyId == created.ApiKey.KeyId);
    }

    [Fact]
    public async Task Bad_create_requests_are_invalid_argument_with_every_field_and_unknown_keys_are_not_found()
    {
        await using var server = await SecuredServer.StartAsync();
        var client = new AccessService.AccessServiceClient(server.Channel);

        var invalid = await Assert.ThrowsAsync<RpcException>(() => client.CreateApiKeyAsync(new CreateApiKeyRequest
        {
            Name = "",
            ExpireTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1)),
        }).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            client.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = "000000000000" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        var fields = invalid.GetRpcStatus()!.Details.Single(d => d.Is(Google.Rpc.BadRequest.Descriptor))
            .Unpack<Google.Rpc.BadRequest>().FieldViolations.Select(v => v.Field);
        Assert.Equal(["name", "scopes", "expire_time"], fields);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal("API_KEY_NOT_FOUND", RawCalls.Info(missing).Reason);
    }

    [Fact]
    public async Task Keys_are_listed_a_page_at_a_time_oldest_first()
    {
        await using var server = await SecuredServer.StartAsync();
        var client = new AccessService.AccessServiceClient(server.Channel);
        foreach (var name in new[] { "a", "b", "c" })
        {
            await client.CreateApiKeyAsync(new CreateApiKeyRequest { Name = name, Scopes = { Scope.Observe } });
        }

        var first = await client.ListApiKeysAsync(new ListApiKeysRequest { PageSize = 2 });
        var second = await client.ListApiKeysAsync(new ListApiKeysRequest { PageSize = 2, PageToken = first.NextPageToken });

        Assert.Equal(["a", "b"], first.ApiKeys.Select(k => k.Name));
        Assert.Equal(["c"], second.ApiKeys.Select(k => k.Name));
        Assert.Equal("", second.NextPageToken);
    }

    [Fact]
    public async Task Without_authentication_whoami_is_anonymous_with_every_scope()
    {
        await using var server = await SecuredServer.StartAsync();

        var me = await new AccessService.AccessServiceClient(server.Channel).WhoAmIAsync(new WhoAmIRequest());

        Assert.Equal("anonymous", me.Principal);
        Assert.Equal(CredentialKind.None, me.CredentialKind);
        Assert.Equal([Scope.Ingest, Scope.Observe, Scope.Admin], me.Scopes);
        Assert.False(me.AuthenticationEnabled);
    }

    [Fact]
    public async Task A_jwt_caller_sees_its_subject_scopes_and_expiry()
    {
        await using var server = await SecuredServer.StartAsync(new Dictionary<string, string>
        {
            ["Runtime:Security:Jwt:SigningKey"] = SecuredServer.JwtKey,
        });
        var token = SecuredServer.Jwt(new Dictionary<string, object> { ["scp"] = "observe ingest", ["name"] = "Ada" });

        var me = await new AccessService.AccessServiceClient(server.Channel)
            .WhoAmIAsync(new WhoAmIRequest(), SecuredServer.With($"Bearer {token}"));

        Assert.Equal("user-1", me.Principal);
        Assert.Equal(CredentialKind.Jwt, me.CredentialKind);
        Assert.Equal([Scope.Ingest, Scope.Observe], me.Scopes);
        Assert.Equal("Ada", me.DisplayName);
        Assert.NotNull(me.ExpireTime);
        Assert.True(me.AuthenticationEnabled);
    }

    [Fact]
    public async Task A_key_expires_on_the_servers_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SecuredServer.StartAsync(AuthOn, time: time);
        var key = server.Keys.Create("short-lived", [Runtime.Server.Security.Access.Observe], time.GetUtcNow().AddHours(1));
        var client = new AccessService.AccessServiceClient(server.Channel);

        var before = await client.WhoAmIAsync(new WhoAmIRequest(), SecuredServer.With($"Bearer {key.Secret}"));
        time.Advance(TimeSpan.FromHours(1));
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.WhoAmIAsync(new WhoAmIRequest(), SecuredServer.With($"Bearer {key.Secret}")).ResponseAsync);

        Assert.Equal(key.Key.ExpiresAt!.Value.ToUnixTimeSeconds(), before.ExpireTime.ToDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("CREDENTIALS_EXPIRED", RawCalls.Info(error).Reason);
    }

    [Fact]
    public async Task The_apikey_command_creates_lists_and_revokes_keys_that_a_running_server_honours_at_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await SecuredServer.StartAsync(AuthOn, time: time);
        var dataSetting = $"--Runtime:DataDirectory={server.DataDirectory}";
        var client = new AccessService.AccessServiceClient(server.Channel);
        var bootstrap = server.Keys.Create("bootstrap", [Runtime.Server.Security.Access.Observe], null);
        await client.WhoAmIAsync(new WhoAmIRequest(), SecuredServer.With($"Bearer {bootstrap.Secret}"));

        var (createCode, created) = Run("apikey", "create", "--name", "ops", "--scopes", "admin,observe", "--expires", "30d", dataSetting);
        var secret = created.Trim().Split('\n')[^1];
        var keyId = ApiKeySecret.TryGetKeyId(secret)!;
        var me = await client.WhoAmIAsync(new WhoAmIRequest(), SecuredServer.With($"Bearer {secret}"));
        var (listCode, listed) = Run("apikey", "list", dataSetting);
        var (revokeCode, _) = Run("apikey", "revoke", keyId, dataSetting);

        // Another process changed the file: the server looks for such changes every ChangeCheckInterval.
        time.Advance(ApiKeyStore.ChangeCheckInterval);
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.WhoAmIAsync(new WhoAmIRequest(), SecuredServer.With($"Bearer {secret}")).ResponseAsync);
        var (usageCode, _) = Run("apikey", "create", "--name", "x", "--scopes", "root", dataSetting);

        Assert.Equal(0, createCode);
        Assert.Equal([Scope.Observe, Scope.Admin], me.Scopes);
        Assert.NotNull(me.ExpireTime);
        Assert.Equal(0, listCode);
        Assert.Contains(keyId, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Equal(0, revokeCode);
        Assert.Equal("API_KEY_REVOKED", RawCalls.Info(error).Reason);
        Assert.Equal(2, usageCode);
    }

    [Theory]
    [InlineData("30d", 30 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("90m", 90)]
    public void Expiry_durations_count_from_now(string text, int minutes)
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(now.AddMinutes(minutes), ApiKeyCommand.ParseExpiry(text, now));
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero), ApiKeyCommand.ParseExpiry("2026-12-31T00:00:00Z", now));
        Assert.Null(ApiKeyCommand.ParseExpiry("soon", now));
    }

    [Fact]
    public void Secrets_are_256_bit_random_with_a_public_key_id_and_only_their_hash_is_kept()
    {
        var (keyId, secret) = ApiKeySecret.Generate();
        var (otherId, other) = ApiKeySecret.Generate();

        Assert.NotEqual(keyId, otherId);
        Assert.NotEqual(secret, other);
        Assert.Equal(keyId, ApiKeySecret.TryGetKeyId(secret));
        Assert.Null(ApiKeySecret.TryGetKeyId(secret[..^1]));
        Assert.Null(ApiKeySecret.TryGetKeyId("eyJhbGciOi.eyJzdWIi.c2ln"));
        Assert.True(ApiKeySecret.Matches(secret, ApiKeySecret.Hash(secret)));
        Assert.False(ApiKeySecret.Matches(other, ApiKeySecret.Hash(secret)));
        Assert.Equal(32, Convert.FromBase64String(secret[(4 + keyId.Length)..].Replace('-', '+').Replace('_', '/') + "=").Length);
    }

    private static (int Code, string Output) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ApiKeyCommand.Run(args, output, error);
        return (code, output + error.ToString());
    }
}
