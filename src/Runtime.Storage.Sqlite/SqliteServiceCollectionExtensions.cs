using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Runtime.Core.Events;
using Runtime.Core.Storage;

namespace Runtime.Storage.Sqlite;

/// <summary>Registers the SQLite ledger.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SqliteRuntimeStore"/> as the <see cref="IRuntimeStore"/>, the <see cref="IEventLog"/> and the
    /// <see cref="IDocumentStore"/> (opened by whoever needs it first, disposed with the container).
    /// </summary>
    public static IServiceCollection AddSqliteRuntimeStore(this IServiceCollection services, Action<SqliteStoreOptions>? configure = null)
    {
        var options = services.AddOptions<SqliteStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<SqliteRuntimeStore>();
        services.TryAddSingleton<IRuntimeStore>(sp => sp.GetRequiredService<SqliteRuntimeStore>());
        services.TryAddSingleton<IEventLog>(sp => sp.GetRequiredService<SqliteRuntimeStore>());
        services.TryAddSingleton<IDocumentStore>(sp => sp.GetRequiredService<SqliteRuntimeStore>());
        return services;
    }
}
