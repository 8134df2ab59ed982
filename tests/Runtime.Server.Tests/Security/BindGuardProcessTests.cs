using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Runtime.Contracts.V1;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Security;

/// <summary>The real server binary: each way of asking for a non-loopback address without authentication is refused.</summary>
public sealed class BindGuardProcessTests
{
    [Fact]
    public async Task Every_way_of_configuring_a_non_loopback_address_without_authentication_refuses_to_start()
    {
        // appsettings.<environment>.json beside the binary (the content root), for an environment of this test's own.
        var environment = $"BindGuard{Guid.NewGuid():N}";
        var settingsFile = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json");
        try
        {
            var port = FreePort();
            await File.WriteAllTextAsync(settingsFile, $$"""{ "Urls": "http://0.0.0.0:{{port}}" }""");
            var runs = await Task.WhenAll(
                RunUntilExitAsync(["--urls", $"http://0.0.0.0:{port}"]),
                RunUntilExitAsync([], new() { ["ASPNETCORE_URLS"] = $"http://0.0.0.0:{port}" }),
                RunUntilExitAsync([], new() { ["Kestrel__Endpoints__Public__Url"] = $"http://0.0.0.0:{port}" }),
                RunUntilExitAsync([], new() { ["DOTNET_ENVIRONMENT"] = environment }),
                RunUntilExitAsync(["--urls", $"http://0.0.0.0:{port}", "--Runtime:Security:RequireAuthentication=true"]));

            foreach (var (code, output) in runs[..4])
            {
                Assert.True(code != 0, output);
                Assert.Contains("Runtime refused to start", output, StringComparison.Ordinal);
                Assert.Contains($"http://0.0.0.0:{port}", output, StringComparison.Ordinal);
                Assert.Contains("no authentication is configured", output, StringComparison.Ordinal);
            }

            Assert.True(runs[4].Code != 0, runs[4].Output);
            Assert.Contains("not TLS", runs[4].Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(settingsFile);
        }
    }

    [Fact]
    public async Task With_authentication_it_starts_on_all_interfaces_and_refuses_calls_without_a_key()
    {
        var data = TempDirectory.Create();
        var port = FreePort();
        using var process = Start(["--urls", $"http://0.0.0.0:{port}", "--Runtime:Security:RequireAuthentication=true",
            "--Runtime:Security:AllowPlaintextNonLoopback=true", $"--Runtime:DataDirectory={data}"], []);
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            await WaitUntilServingAsync(channel, process.Process);

            var refused = await Assert.ThrowsAsync<RpcException>(() =>
                new AccessService.AccessServiceClient(channel).WhoAmIAsync(new WhoAmIRequest()).ResponseAsync);

            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
            Assert.Equal("MISSING_CREDENTIALS", RawCalls.Info(refused).Reason);
            Assert.Contains("WITHOUT TLS", process.Output, StringComparison.Ordinal);
        }
        finally
        {
            process.Process.Kill(entireProcessTree: true);
            await process.Process.WaitForExitAsync();
            TempDirectory.Delete(data);
        }
    }

    private sealed record Running(Process Process, List<string> Lines) : IDisposable
    {
        public string Output
        {
            get
            {
                lock (Lines)
                {
                    return string.Join(Environment.NewLine, Lines);
                }
            }
        }

        public void Dispose() => Process.Dispose();
    }

    private static async Task<(int Code, string Output)> RunUntilExitAsync(string[] args, Dictionary<string, string>? environment = null)
    {
        var data = TempDirectory.Create();
        using var running = Start([.. args, $"--Runtime:DataDirectory={data}"], environment ?? []);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await running.Process.WaitForExitAsync(timeout.Token);
            return (running.Process.ExitCode, running.Output);
        }
        finally
        {
            if (!running.Process.HasExited)
            {
                running.Process.Kill(entireProcessTree: true);
            }

            TempDirectory.Delete(data);
        }
    }

    private static Running Start(string[] args, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Runtime.Server.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment.Remove("ASPNETCORE_URLS");
        // The console's fixed default port would collide between servers started side by side.
        info.Environment["Runtime__Console__Enabled"] = "false";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        var running = new Running(process, []);
        process.OutputDataReceived += (_, e) => Record(running, e.Data);
        process.ErrorDataReceived += (_, e) => Record(running, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    private static void Record(Running running, string? line)
    {
        if (line is not null)
        {
            lock (running.Lines)
            {
                running.Lines.Add(line);
            }
        }
    }

    private static async Task WaitUntilServingAsync(GrpcChannel channel, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the server did not become healthy");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
