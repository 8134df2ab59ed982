using Runtime.Core.Hosting;
using Runtime.Server.Services;
using Runtime.Storage.Sqlite;

namespace Runtime.Server.Hosting;

/// <summary>Wires the runtime host and its SQLite ledger into the server.</summary>
public static class RuntimeCoreRegistration
{
    /// <summary>The configuration section of the ledger store (<c>Synchronous</c>: <c>Full</c> or <c>Normal</c>).</summary>
    public const string StorageSection = "Runtime:Storage";

    /// <summary>The configuration section of the runtime host (limits, default policy, idle unloading).</summary>
    public const string HostSection = "Runtime:Host";

    /// <summary>
    /// Registers the store (file <c>runtime.db</c> in <c>Runtime:DataDirectory</c>), the host (recovers every runtime at
    /// start, as a hosted service) and the event watch. Call it after observation, so the host publishes into the event
    /// stream from its first recovery event.
    /// </summary>
    public static IHostApplicationBuilder AddRuntimeCore(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddSqliteRuntimeStore(o =>
        {
            configuration.GetSection(StorageSection).Bind(o);
            o.DataDirectory = configuration.GetSection(ServerOptions.Section).Get<ServerOptions>()?.DataDirectory ?? new ServerOptions().DataDirectory;
        });
        builder.Services.AddRuntimeHost(o => configuration.GetSection(HostSection).Bind(o));
        builder.Services.AddSingleton<RuntimeEventWatch>();
        return builder;
    }
}
