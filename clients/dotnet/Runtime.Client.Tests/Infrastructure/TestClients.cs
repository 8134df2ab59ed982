using Microsoft.Extensions.DependencyInjection;

namespace Runtime.Client.Tests.Infrastructure;

/// <summary>Builds the client the way an application does: through <c>AddRuntimeClient</c>.</summary>
public static class TestClients
{
    /// <summary>A DI container with the client registered on <paramref name="address"/>; fast, jitter-free
    /// reconnects unless <paramref name="configure"/> says otherwise.</summary>
    public static ServiceProvider Create(Uri address, TimeProvider? time = null, Action<RuntimeClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddRuntimeClient(o =>
        {
            o.Address = address;
            o.Reconnect.InitialDelay = TimeSpan.FromMilliseconds(10);
            o.Reconnect.MaxDelay = TimeSpan.FromMilliseconds(50);
            o.Reconnect.UseJitter = false;
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>Reads a stream to its end (bounded).</summary>
    public static async Task<List<T>> ReadAllAsync<T>(this IAsyncEnumerable<T> stream, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var items = new List<T>();
        await foreach (var item in stream.WithCancellation(cts.Token))
        {
            items.Add(item);
        }

        return items;
    }
}
