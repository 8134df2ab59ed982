using Microsoft.Extensions.Configuration;
using Runtime.Server.Security;
using Runtime.Server.Security.Startup;

namespace Runtime.Server.Tests.Security;

/// <summary>The guard's decisions over every configuration source (fast, in memory).</summary>
public sealed class BindGuardTests
{
    [Theory]
    [InlineData("urls", "http://0.0.0.0:5000")]
    [InlineData("urls", "http://127.0.0.1:5000;http://*:5001")]
    [InlineData("urls", "http://+:5000")]
    [InlineData("urls", "http://[::]:5000")]
    [InlineData("urls", "http://example.internal:5000")]
    [InlineData("urls", "http://192.168.1.10:5000")]
    [InlineData("http_ports", "8080")]
    [InlineData("https_ports", "8443")]
    [InlineData("Kestrel:Endpoints:Public:Url", "http://0.0.0.0:5000")]
    [InlineData("urls", "http://unix:5000")]
    [InlineData("urls", "http://localhost.:5000")]
    [InlineData("urls", "http://[::ffff:10.1.2.3]:5000")]
    [InlineData("urls", "http://127.0.0.1.nip.io:5000")]
    public void A_non_loopback_address_without_authentication_is_refused(string key, string value)
    {
        var error = Assert.Throws<StartupRefusedException>(() => BindGuard.Check(Config((key, value)), new SecurityOptions()));

        Assert.Contains("no authentication is configured", error.Message, StringComparison.Ordinal);
        Assert.Contains("Runtime:Security:RequireAuthentication", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://[::1]:5000")]
    [InlineData("http://127.0.0.2:5000;http://localhost:5001")]
    [InlineData("http://unix:/run/runtime.sock")]
    [InlineData("http://[::ffff:127.0.0.1]:5000")]
    [InlineData("http://pipe:/runtime")]
    public void Loopback_addresses_need_nothing(string urls)
    {
        var verdict = BindGuard.Check(Config(("urls", urls), ("Kestrel:Endpoints:Local:Url", "https://127.0.0.1:5443")), new SecurityOptions());

        Assert.Empty(verdict.Warnings);
    }

    [Fact]
    public void With_authentication_a_non_loopback_address_also_needs_tls_or_its_own_opt_out()
    {
        var authenticated = new SecurityOptions { RequireAuthentication = true };

        var plaintext = Assert.Throws<StartupRefusedException>(() => BindGuard.Check(Config(("urls", "http://0.0.0.0:5000")), authenticated));
        var tls = BindGuard.Check(Config(("urls", "https://0.0.0.0:5443")), authenticated);
        var jwtOnly = BindGuard.Check(Config(("urls", "https://0.0.0.0:5443")), new SecurityOptions { Jwt = { SigningKey = "k" } });
        authenticated.AllowPlaintextNonLoopback = true;
        var optedOut = BindGuard.Check(Config(("urls", "http://0.0.0.0:5000")), authenticated);

        Assert.Contains("not TLS", plaintext.Message, StringComparison.Ordinal);
        Assert.Empty(tls.Warnings);
        Assert.Empty(jwtOnly.Warnings);
        Assert.Contains("WITHOUT TLS", Assert.Single(optedOut.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void The_unauthenticated_opt_out_starts_with_a_warning()
    {
        var options = new SecurityOptions { AllowUnauthenticatedNonLoopback = true, AllowPlaintextNonLoopback = true };

        var verdict = BindGuard.Check(Config(("urls", "http://0.0.0.0:5000")), options);

        Assert.Equal(2, verdict.Warnings.Count);
        Assert.Contains(verdict.Warnings, w => w.Contains("WITHOUT authentication", StringComparison.Ordinal));
    }

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
