using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Observation.BuiltIn.Ledger;
using Runtime.Observation.BuiltIn.Runtimes;
using Runtime.Observation.BuiltIn.Transports;
using Runtime.Observation.Events;
using Runtime.Observation.Observers;

namespace Runtime.Observation.BuiltIn;

/// <summary>Creates the runners of the built-in observers: <c>runtimes</c>, <c>transports</c> and <c>ledger</c>.</summary>
public static class BuiltInObservers
{
    /// <summary>
    /// All three, with the settings <paramref name="options"/> gives each, numbered by <paramref name="numbering"/>
    /// (in memory from 0 when null).
    /// </summary>
    public static IReadOnlyList<ObserverRunner> Create(
        IRuntimeCatalog runtimes,
        ITransportCatalog transports,
        EventStream events,
        ObservationOptions options,
        TimeProvider time,
        ILoggerFactory? loggers = null,
        CycleNumbering? numbering = null)
    {
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<ObserverRunner>();
        numbering ??= CycleNumbering.InMemory();
        return
        [
            Runtimes(runtimes, options.SettingsFor(RuntimesObserver.Name), time, logger, numbering),
            Transports(transports, options.SettingsFor(TransportsObserver.Name), time, logger, numbering),
            Ledger(events, options.SettingsFor(LedgerObserver.Name), time, logger, numbering),
        ];
    }

    /// <summary>The <c>runtimes</c> observer over <paramref name="catalog"/>.</summary>
    public static ObserverRunner Runtimes(
        IRuntimeCatalog catalog, ObserverSettings settings, TimeProvider time, ILogger? logger = null, CycleNumbering? numbering = null) =>
        ObserverRunner.Create(
            RuntimesObserver.Name,
            new DelegateSourceProvider<RuntimeInfo>(catalog.ListRuntimesAsync),
            new RuntimesObserver(),
            settings,
            time,
            logger,
            numbering);

    /// <summary>The <c>transports</c> observer over <paramref name="catalog"/>.</summary>
    public static ObserverRunner Transports(
        ITransportCatalog catalog, ObserverSettings settings, TimeProvider time, ILogger? logger = null, CycleNumbering? numbering = null) =>
        ObserverRunner.Create(
            TransportsObserver.Name,
            new DelegateSourceProvider<DestinationInfo>(catalog.ListDestinationsAsync),
            new TransportsObserver(),
            settings,
            time,
            logger,
            numbering);

    /// <summary>The <c>ledger</c> observer over the event stream.</summary>
    public static ObserverRunner Ledger(
        EventStream events, ObserverSettings settings, TimeProvider time, ILogger? logger = null, CycleNumbering? numbering = null) =>
        ObserverRunner.Create(
            LedgerObserver.Name, LedgerObserver.SourceFor(events), new LedgerObserver(time), settings, time, logger, numbering);
}
