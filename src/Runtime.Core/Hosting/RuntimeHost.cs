using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Runtime.Core.Delivery;
using Runtime.Core.Driver;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Core.Storage;

namespace Runtime.Core.Hosting;

/// <summary>
/// The single-node <see cref="IRuntimeHost"/>: one actor (mailbox + loop) per loaded runtime, activated on demand and
/// unloaded when idle; reads go straight to the store. <see cref="StartAsync"/> opens the store and recovers every
/// runtime that needs it, so it can run as an <see cref="IHostedService"/>.
/// </summary>
public sealed class RuntimeHost : IRuntimeHost, IHostedService, IAsyncDisposable, IActorDirectory
{
    private readonly ConcurrentDictionary<string, RuntimeActor> _actors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _quarantined = new(StringComparer.Ordinal);
    private readonly ActorContext _context;
    private readonly IRuntimeStore _store;
    private readonly IDeliveryPort _port;
    private readonly RequestValidation _validation;
    private readonly ILogger _logger;
    private volatile bool _stopped;

    /// <summary>Creates the host over a store, a delivery port and the event categories to produce.</summary>
    public RuntimeHost(
        IRuntimeStore store,
        IDeliveryPort port,
        IEventCategories? categories = null,
        TimeProvider? time = null,
        IOptions<RuntimeHostOptions>? options = null,
        ILogger<RuntimeHost>? logger = null)
    {
        _store = store;
        _port = port;
        _logger = logger ?? NullLogger<RuntimeHost>.Instance;
        var settings = options?.Value ?? new RuntimeHostOptions();
        _context = new ActorContext(store, port, categories ?? EventCategories.None, time ?? TimeProvider.System,
            settings, _logger);
        _validation = _context.Validation;
        _port.AvailabilityChanged += OnAvailabilityChanged;
    }

    /// <summary>What recovery at start did: runtimes recovered and runtimes quarantined.</summary>
    public IReadOnlyList<RecoveryReport> StartupRecoveries { get; private set; } = [];

    /// <summary>How many runtimes are loaded in memory now.</summary>
    public int LoadedRuntimes => _actors.Count;

    /// <summary>Opens the store and recovers every runtime with unfinished work (quarantining contradicting ones).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken);
        var ids = await _store.ListRuntimesToRecoverAsync(cancellationToken);
        var reports = new ConcurrentBag<RecoveryReport>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (id, token) =>
            {
                try
                {
                    reports.Add(await Send(id, "activate", (actor, _) => actor.ActivationReportAsync(), token));
                }
                catch (RuntimeException e) when (e.Reason == "RECOVERY_CORRUPTION")
                {
                    _logger.LogError("Runtime {RuntimeId} was quarantined at start: {Message}", id, e.Message);
                }
            });
        StartupRecoveries = [.. reports];
        _logger.LogInformation("Recovered {Count} runtimes at start ({Quarantined} quarantined)", reports.Count, _quarantined.Count);
    }

    /// <summary>
    /// Stops every runtime's loop. Nothing is lost: every answered request is already durable, and runs in flight are
    /// redelivered after the next start (deliveries carry run and input ids so destinations can drop repeats).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        var stops = new List<Task>();
        foreach (var actor in _actors.Values)
        {
            var stop = new StopMessage();
            if (actor.TryPost(stop))
            {
                stops.Add(stop.Completion.Task);
            }

            stops.Add(actor.Completion);
        }

        await Task.WhenAll(stops).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        _actors.Clear();
    }

    /// <inheritdoc />
    public Task<RuntimeInfo> CreateRuntimeAsync(RuntimeSpec spec, CancellationToken cancellationToken = default)
    {
        _validation.Spec(spec);
        return Send(spec.RuntimeId, "create", (actor, turn) => actor.CreateAsync(turn, spec, Quarantine(spec.RuntimeId)), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<RuntimeInfo> GetRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default)
    {
        var runtime = await FindAsync(runtimeId, cancellationToken);
        return RecordMapping.ToInfo(runtime, Quarantine(runtimeId));
    }

    /// <inheritdoc />
    public async Task<RuntimePage> ListRuntimesAsync(RuntimeQuery query, CancellationToken cancellationToken = default)
    {
        var size = _validation.PageSize(query.PageSize);
        var after = RecordMapping.ReadToken("r", query.PageToken);
        var v = new Validator();
        _validation.Labels(v, query.Labels, "label_selector");
        v.Require(query.States.All(Enum.IsDefined), "states", "unknown state");
        v.ThrowIfInvalid();
        var rows = await _store.ListRuntimesAsync(
            new RuntimeListFilter([.. query.States.Distinct().Order()], query.Labels, query.IdPrefix, after, size + 1), cancellationToken);
        var page = rows.Take(size).Select(r => RecordMapping.ToInfo(r, Quarantine(r.RuntimeId))).ToList();
        var next = rows.Count > size ? RecordMapping.Token("r", page[^1].RuntimeId) : "";
        return new RuntimePage(page, next);
    }

    /// <inheritdoc />
    public async Task<RuntimeStatus> GetRuntimeStateAsync(string runtimeId, CancellationToken cancellationToken = default)
    {
        RequestValidation.RuntimeId(runtimeId);
        if (_actors.ContainsKey(runtimeId) && Quarantine(runtimeId) is null)
        {
            return await Send(runtimeId, "status", (actor, _) => actor.StatusAsync(), cancellationToken);
        }

        var runtime = await FindAsync(runtimeId, cancellationToken);
        return new RuntimeStatus(runtimeId, runtime.State, runtime.PhaseCounts[(int)InputPhase.Queued],
            runtime.PhaseCounts[(int)InputPhase.Staged], null,
            runtime.Retiring, Quarantine(runtimeId));
    }

    /// <inheritdoc />
    public Task<RuntimeInfo> BindDestinationAsync(string runtimeId, string destination, CancellationToken cancellationToken = default)
    {
        RequestValidation.RuntimeId(runtimeId);
        var v = new Validator();
        _validation.Destination(v, destination, "destination");
        v.ThrowIfInvalid();
        return Send(runtimeId, "bind", (actor, turn) => actor.BindAsync(turn, destination), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<AcceptResult> AcceptInputAsync(string runtimeId, InputSubmission input, CancellationToken cancellationToken = default)
    {
        RequestValidation.RuntimeId(runtimeId);
        _validation.Input(input);
        var results = await AcceptInputsAsync(runtimeId, [input], cancellationToken);
        return results[0].Failure is { } failure ? throw failure.ToException() : results[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AcceptResult>> AcceptInputsAsync(string runtimeId, IReadOnlyList<InputSubmission> inputs,
        CancellationToken cancellationToken = default)
    {
        RequestValidation.RuntimeId(runtimeId);
        if (inputs.Count > _context.Options.Limits.MaxAcceptBatch)
        {
            throw Fail.InvalidField("inputs", $"at most {_context.Options.Limits.MaxAcceptBatch} inputs per batch");
        }

        if (inputs.Count == 0)
        {
            return [];
        }

        var message = new AcceptMessage(inputs);
        Route(runtimeId, message);
        return await message.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<InputState> GetInputStateAsync(string runtimeId, string inputId, CancellationToken cancellationToken = default)
    {
        // Bad arguments are answered before existence is checked (INVALID_ARGUMENT before NOT_FOUND).
        new Validator()
            .Require(RequestValidation.IsValidId(runtimeId), "runtime_id", "must be 1-128 characters of [A-Za-z0-9._:-]")
            .Require(RequestValidation.IsValidId(inputId), "input_id", "must be 1-128 characters of [A-Za-z0-9._:-]")
            .ThrowIfInvalid();
        var runtime = await FindAsync(runtimeId, cancellationToken);

        var input = await _store.FindInputAsync(runtime.Key, inputId, cancellationToken)
                    ?? throw Fail.NotFound("INPUT_NOT_FOUND", $"Runtime '{runtimeId}' has no input '{inputId}'.",
                        ("runtime_id", runtimeId), ("input_id", inputId));
        return RecordMapping.ToState(runtimeId, input);
    }

    /// <inheritdoc />
    public async Task<InputPage> ListInputsAsync(InputQuery query, CancellationToken cancellationToken = default)
    {
        var size = _validation.PageSize(query.PageSize);
        var after = RecordMapping.ReadPositionToken(query.PageToken);
        if (!query.Phases.All(Enum.IsDefined))
        {
            throw Fail.InvalidField("phases", "unknown phase");
        }

        var runtime = await FindAsync(query.RuntimeId, cancellationToken);
        var rows = await _store.ListInputsAsync(runtime.Key, [.. query.Phases.Distinct().Order()], after, size + 1, cancellationToken);
        var page = rows.Take(size).Select(r => RecordMapping.ToState(query.RuntimeId, r)).ToList();
        var next = rows.Count > size
            ? RecordMapping.Token("i", page[^1].Position.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : "";
        return new InputPage(page, next);
    }

    /// <inheritdoc />
    public Task<RetireReport> RetireRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        Send(runtimeId, "retire", (actor, turn) => actor.RetireAsync(turn), cancellationToken);

    /// <inheritdoc />
    public Task<RecycleReport> RecycleRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        Send(runtimeId, "recycle", async (actor, _) =>
        {
            var report = await actor.RecoverAsync("recycle");
            var status = await actor.StatusAsync();
            var info = await actor.InfoAsync();
            return new RecycleReport(runtimeId, report.PreviousState, status.State,
                report.InputsRecovered - report.InputsConsumed - report.InputsAbandoned, report.InputsRequeued, info.OwnerEpoch);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ResetReport> ResetRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        Send(runtimeId, "reset", (actor, turn) => actor.ResetAsync(turn), cancellationToken);

    /// <inheritdoc />
    public Task<RecoveryReport> RecoverRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        Send(runtimeId, "recover", (actor, _) => actor.RecoverAsync("recover"), cancellationToken);

    /// <inheritdoc />
    public Task<DestroyReport> DestroyRuntimeAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        Send(runtimeId, "destroy", (actor, turn) => actor.DestroyAsync(turn), cancellationToken);

    /// <inheritdoc />
    public async Task<BoundaryReceipt> GetBoundaryReceiptAsync(string runtimeId, string runId, long sequence,
        CancellationToken cancellationToken = default)
    {
        RequestValidation.RuntimeId(runtimeId);
        new Validator()
            .Require(RequestValidation.IsValidId(runId), "run_id", "must be 1-128 characters of [A-Za-z0-9._:-]")
            .Require(sequence >= 1, "sequence", "must be at least 1")
            .ThrowIfInvalid();
        var runtime = await FindAsync(runtimeId, cancellationToken);
        var receipt = await _store.FindReceiptAsync(runtime.Key, runId, sequence, cancellationToken)
                      ?? throw Fail.NotFound("RECEIPT_NOT_FOUND",
                          $"Runtime '{runtimeId}' has no boundary receipt {sequence} for run '{runId}'.",
                          ("runtime_id", runtimeId), ("run_id", runId),
                          ("sequence", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return RecordMapping.ToReceipt(runtimeId, receipt);
    }

    /// <inheritdoc />
    public Task<PublishResult> PublishEventAsync(string runtimeId, ExternalEvent reported, CancellationToken cancellationToken = default)
    {
        RequestValidation.RuntimeId(runtimeId);
        var v = new Validator();
        v.Require(Enum.IsDefined(reported.Kind), "kind", "unknown event kind");
        if (reported.Kind is ExternalEventKind.RunCompleted or ExternalEventKind.RunFailed)
        {
            v.Require(RequestValidation.IsValidId(reported.RunId), "run_id", "must be 1-128 characters of [A-Za-z0-9._:-]");
        }

        if (reported.Kind == ExternalEventKind.InputsAcked)
        {
            v.Require(reported.InputIds.Count > 0, "input_ids", "name at least one input");
            v.Require(reported.InputIds.All(RequestValidation.IsValidId), "input_ids", "each must be 1-128 characters of [A-Za-z0-9._:-]");
        }

        // Bounded here so that every event fits any answer that carries it (a watch batch, a replay).
        var limits = _context.Options.Limits;
        v.Require(reported.Error.Length <= limits.MaxHeaderValueLength, "run_failed.error",
            $"must be at most {limits.MaxHeaderValueLength} characters");
        v.Require(reported.Attributes.Count <= limits.MaxHeaders + 1, "custom.attributes", $"at most {limits.MaxHeaders} attributes");
        v.Require(reported.Attributes.All(a => a.Key.Length <= limits.MaxHeaderNameLength && a.Value.Length <= limits.MaxHeaderValueLength),
            "custom.attributes", $"names are at most {limits.MaxHeaderNameLength} characters and values at most {limits.MaxHeaderValueLength}");

        v.ThrowIfInvalid();
        return SendAnsweredAfterCommit(runtimeId, "publish", (actor, turn) => actor.PublishAsync(turn, reported), cancellationToken);
    }

    /// <inheritdoc />
    public Task ActivateAsync(string runtimeId, CancellationToken cancellationToken = default) =>
        Send(runtimeId, "activate", (actor, _) => actor.ActivationReportAsync(), cancellationToken);

    /// <inheritdoc />
    public Task DeactivateAsync(string runtimeId, CancellationToken cancellationToken = default)
    {
        RequestValidation.RuntimeId(runtimeId);
        return _actors.ContainsKey(runtimeId)
            ? Send(runtimeId, "deactivate", (actor, _) => actor.UnloadIfIdleAsync(), cancellationToken)
            : Task.CompletedTask;
    }

    /// <summary>Completes once the runtime has nothing in flight (runs awaiting outside completion count as settled).</summary>
    internal async Task WhenSettledAsync(string runtimeId, CancellationToken cancellationToken = default)
    {
        var message = new SettleMessage();
        Route(runtimeId, message);
        await message.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The loop of the runtime's loaded actor (completes when it unloads), or a completed task when none is loaded.</summary>
    internal Task LoadedActorLoop(string runtimeId) =>
        _actors.TryGetValue(runtimeId, out var actor) ? actor.Completion : Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _port.AvailabilityChanged -= OnAvailabilityChanged;
        if (!_stopped)
        {
            await StopAsync(CancellationToken.None);
        }
    }

    void IActorDirectory.Remove(RuntimeActor actor) => _actors.TryRemove(new KeyValuePair<string, RuntimeActor>(actor.RuntimeId, actor));

    void IActorDirectory.Reroute(string runtimeId, Message message) => Route(runtimeId, message);

    void IActorDirectory.SetQuarantine(string runtimeId, string? reason)
    {
        if (reason is null)
        {
            _quarantined.TryRemove(runtimeId, out _);
        }
        else
        {
            _quarantined[runtimeId] = reason;
        }
    }

    private string? Quarantine(string runtimeId) => _quarantined.GetValueOrDefault(runtimeId);

    private async Task<RuntimeRecord> FindAsync(string runtimeId, CancellationToken cancellationToken)
    {
        RequestValidation.RuntimeId(runtimeId);
        return await _store.FindRuntimeAsync(runtimeId, cancellationToken)
               ?? throw Fail.NotFound("RUNTIME_NOT_FOUND", $"Runtime '{runtimeId}' does not exist.", ("runtime_id", runtimeId));
    }

    private async Task<T> Send<T>(string runtimeId, string kind, Func<RuntimeActor, Turn, Task<T>> body, CancellationToken cancellationToken)
    {
        RequestValidation.RuntimeId(runtimeId);
        var message = new OperationMessage<T>(kind, body);
        Route(runtimeId, message);
        return await message.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Like <see cref="Send{T}"/>, for answers that carry what the commit assigned (event sequences).</summary>
    private async Task<T> SendAnsweredAfterCommit<T>(string runtimeId, string kind, Func<RuntimeActor, Turn, Task<Func<T>>> body,
        CancellationToken cancellationToken) =>
        (await Send(runtimeId, kind, body, cancellationToken))();

    private void Route(string runtimeId, Message message)
    {
        while (true)
        {
            if (_stopped)
            {
                message.Fail(new RuntimeException(ErrorKind.Unavailable, "HOST_STOPPED", "The runtime host is stopping."));
                return;
            }

            var actor = _actors.GetOrAdd(runtimeId, id => new RuntimeActor(id, _context, this));
            actor.EnsureStarted();
            if (actor.TryPost(message))
            {
                return;
            }

            _actors.TryRemove(new KeyValuePair<string, RuntimeActor>(runtimeId, actor));
        }
    }

    private void OnAvailabilityChanged(object? sender, DestinationAvailabilityChanged change)
    {
        foreach (var actor in _actors.Values)
        {
            if (actor.Destination == change.Destination)
            {
                actor.TryPost(PumpMessage.Instance);
            }
        }
    }
}
