using Grpc.Health.V1;
using Grpc.Net.Client;

// healthprobe [grpc] ADDRESS [SERVICE]  -> grpc.health.v1 Check; exit 0 when SERVING
// healthprobe http URL                  -> HTTP GET; exit 0 on a 2xx answer
// Bounded by a 3 s deadline so a wedged app fails its health check instead of hanging it.
var timeout = TimeSpan.FromSeconds(3);
try
{
    return args switch
    {
        ["http", var url] => await HttpProbe.CheckAsync(new Uri(url), timeout),
        ["grpc", var address, .. var rest] => await GrpcProbe.CheckAsync(new Uri(address), rest.FirstOrDefault() ?? "", timeout),
        [var address, .. var rest] when !address.StartsWith('-') => await GrpcProbe.CheckAsync(new Uri(address), rest.FirstOrDefault() ?? "", timeout),
        _ => Usage(),
    };
}
catch (Exception e) when (e is HttpRequestException or Grpc.Core.RpcException or TaskCanceledException or UriFormatException)
{
    await Console.Error.WriteLineAsync($"unhealthy: {e.Message}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: healthprobe [grpc] ADDRESS [SERVICE] | healthprobe http URL");
    return 2;
}

/// <summary>Asks <c>grpc.health.v1.Health/Check</c> over cleartext HTTP/2.</summary>
internal static class GrpcProbe
{
    /// <summary>0 when the service (empty: the server overall) is SERVING, 1 otherwise.</summary>
    public static async Task<int> CheckAsync(Uri address, string service, TimeSpan timeout)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var reply = await new Health.HealthClient(channel).CheckAsync(
            new HealthCheckRequest { Service = service }, deadline: DateTime.UtcNow.Add(timeout));
        Console.WriteLine(reply.Status);
        return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
    }
}

/// <summary>Asks an HTTP endpoint (for apps that do not serve grpc.health.v1, like the sample sink).</summary>
internal static class HttpProbe
{
    /// <summary>0 on a 2xx answer, 1 otherwise.</summary>
    public static async Task<int> CheckAsync(Uri url, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = timeout };
        using var response = await client.GetAsync(url);
        Console.WriteLine((int)response.StatusCode);
        return response.IsSuccessStatusCode ? 0 : 1;
    }
}
