using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Runtime.Contracts.V1;
using Runtime.Server.Hosting;
using Runtime.Server.Security;
using Runtime.Server.Security.ApiKeys;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Security;

/// <summary>Real Kestrel with a PEM certificate from configuration: the documented way to expose the server.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task On_all_interfaces_with_tls_and_an_api_key_calls_work_over_h2_and_are_refused_without_the_key()
    {
        var data = TempDirectory.Create();
        using var certificate = SelfSigned();
        var certPath = Path.Combine(data, "server.crt");
        var keyPath = Path.Combine(data, "server.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
        using (var key = certificate.GetECDsaPrivateKey()!)
        {
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        var app = RuntimeServerApp.Build([
            "--urls", "https://0.0.0.0:0",
            $"--Kestrel:Certificates:Default:Path={certPath}",
            $"--Kestrel:Certificates:Default:KeyPath={keyPath}",
            "--Runtime:Security:RequireAuthentication=true",
            $"--Runtime:DataDirectory={data}",
            "--Runtime:Console:Enabled=false",
        ]);
        try
        {
            await app.StartAsync();
            var port = new Uri(app.Urls.Single().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
            var secret = app.Services.GetRequiredService<ApiKeyStore>().Create("ops", [Access.Admin], null).Secret;
            using var handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    // Trust exactly the certificate this test made.
                    RemoteCertificateValidationCallback = (_, presented, _, _) =>
                        presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
                },
            };
            using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = handler });
            var client = new AccessService.AccessServiceClient(channel);

            var me = await client.WhoAmIAsync(new WhoAmIRequest(), SecuredServer.With($"Bearer {secret}"));
            var refused = await Assert.ThrowsAsync<RpcException>(() => client.WhoAmIAsync(new WhoAmIRequest()).ResponseAsync);
            using var http = new HttpClient(handler, disposeHandler: false);
            using var probe = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{port}/")
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            using var response = await http.SendAsync(probe);

            Assert.Equal("apikey:" + ApiKeySecret.TryGetKeyId(secret), me.Principal);
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
            Assert.Equal(HttpVersion.Version20, response.Version);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            TempDirectory.Delete(data);
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=runtime-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
