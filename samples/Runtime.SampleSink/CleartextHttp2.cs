using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Runtime.SampleSink;

/// <summary>
/// Serves HTTP/1.1 (WebSocket, webhooks, curl) and cleartext HTTP/2 with prior knowledge (gRPC) on one port.
/// Kestrel only picks HTTP/2 on an <c>Http1AndHttp2</c> endpoint when ALPN says so, which needs TLS; this
/// connection middleware reads the first bytes and, when they are the HTTP/2 client preface, tells Kestrel the
/// connection negotiated <c>h2</c>. Nothing is consumed: Kestrel then reads the preface itself.
/// </summary>
public static class CleartextHttp2
{
    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>Makes <paramref name="listen"/> serve both protocols in clear text.</summary>
    public static void Enable(ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.Use(next => async connection =>
        {
            if (await StartsWithPrefaceAsync(connection.Transport.Input, connection.ConnectionClosed))
            {
                connection.Features.Set<ITlsConnectionFeature>(PriorKnowledge.Instance);
                connection.Features.Set<ITlsApplicationProtocolFeature>(PriorKnowledge.Instance);
            }

            await next(connection);
        });
    }

    private static async Task<bool> StartsWithPrefaceAsync(PipeReader input, CancellationToken cancellationToken)
    {
        var head = new byte[Preface.Length];
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            var buffer = read.Buffer;
            var length = (int)Math.Min(buffer.Length, Preface.Length);
            buffer.Slice(0, length).CopyTo(head);
            var matches = head.AsSpan(0, length).SequenceEqual(Preface[..length]);
            var decided = !matches || length == Preface.Length || read.IsCompleted;

            // Consume nothing; mark all seen so the next read waits for more bytes when undecided.
            input.AdvanceTo(buffer.Start, decided ? buffer.Start : buffer.End);
            if (decided)
            {
                return matches && length == Preface.Length;
            }
        }
    }

    /// <summary>Says "h2 was negotiated" to Kestrel's protocol selection; there is no TLS and no client certificate.</summary>
    private sealed class PriorKnowledge : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public static PriorKnowledge Instance { get; } = new();

        public ReadOnlyMemory<byte> ApplicationProtocol { get; } = "h2"u8.ToArray();

        public X509Certificate2? ClientCertificate
        {
            get => null;
            set { }
        }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) =>
            Task.FromResult<X509Certificate2?>(null);
    }
}
