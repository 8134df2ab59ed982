using Google.Protobuf.WellKnownTypes;
using Runtime.Analytics.Filters;
using Runtime.Core.Errors;
using Runtime.Observation.BuiltIn.Ledger;
using Runtime.Observation.BuiltIn.Runtimes;
using Runtime.Observation.BuiltIn.Transports;
using Runtime.Observation.Filtering;
using Runtime.Observation.Observers;
using Runtime.Observation.Subscriptions;
using V1 = Runtime.Contracts.V1;

namespace Runtime.Server.Mapping;

/// <summary>Observation: domain snapshots, batches, gaps and statuses to proto, and the Subscribe request to domain.</summary>
public static class ObservationMapping
{
    /// <summary>What ListObservers says about each observer.</summary>
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        [RuntimesObserver.Name] = "Runtimes by state, with each runtime's queue depth and phase counts; created, state changed and destroyed events.",
        [TransportsObserver.Name] = "Destinations and the live state of their wires; added, connected, failed, reconnected and removed events.",
        [LedgerObserver.Name] = "Inputs accepted, consumed and abandoned per second and accept-to-consume latency, from the event stream.",
    };

    /// <summary>The domain request of a Subscribe call; malformed fields are INVALID_ARGUMENT naming them.</summary>
    public static SubscriptionRequest ToDomain(this V1.SubscribeRequest request)
    {
        var validator = new Validator()
            .Require(request.Observers.All(o => o.Length > 0), "observers", "must not contain empty names")
            .Require(!request.HasAfterCycle || request.AfterCycle <= long.MaxValue, "after_cycle", "is too large")
            .Require(request.AfterCycleByObserver.Keys.All(k => k.Length > 0), "after_cycle_by_observer", "keys must name observers")
            .Require(request.AfterCycleByObserver.Values.All(c => c <= long.MaxValue), "after_cycle_by_observer", "cycles are too large")
            .Require(request.AfterCycleByObserver.Count == 0 || request.Observers.Count == 0
                || request.AfterCycleByObserver.Keys.All(request.Observers.Contains), "after_cycle_by_observer", "names an observer not in observers");
        var maxDuration = Bounded(request.MaxDuration, "max_duration", validator);
        validator.ThrowIfInvalid();
        return new SubscriptionRequest
        {
            Observers = [.. request.Observers],
            IncludeSnapshot = request.IncludeSnapshot,
            AfterCycle = request.HasAfterCycle ? (long)request.AfterCycle : null,
            AfterCycles = request.AfterCycleByObserver.Count == 0
                ? null
                : request.AfterCycleByObserver.ToDictionary(p => p.Key, p => (long)p.Value, StringComparer.Ordinal),
            Filter = FilterExpression.Parse(request.Filter),
            MaxMessages = request.MaxMessages,
            MaxDuration = maxDuration,
        };
    }

    /// <summary>One Subscribe stream message.</summary>
    public static V1.SubscribeResponse ToResponse(this ObservationMessage message) => message switch
    {
        ObservationSnapshot snapshot => new V1.SubscribeResponse { Snapshot = snapshot.ToProto() },
        ObservationBatch batch => new V1.SubscribeResponse { Batch = batch.ToProto() },
        ObservationGap gap => new V1.SubscribeResponse { Gap = gap.ToProto() },
        ObserverFailed failed => new V1.SubscribeResponse { Failure = failed.Failure.ToProto(failed.Observer) },
        ObservationHeartbeat heartbeat => new V1.SubscribeResponse { Heartbeat = heartbeat.ToProto() },
        _ => throw new ArgumentOutOfRangeException(nameof(message), message.GetType().Name, "Unknown observation message."),
    };

    /// <summary>A snapshot with its observer-specific data.</summary>
    public static V1.Snapshot ToProto(this ObservationSnapshot snapshot)
    {
        var proto = new V1.Snapshot
        {
            Observer = snapshot.Observer,
            Cycle = (ulong)snapshot.Cycle,
            Time = Timestamp.FromDateTimeOffset(snapshot.Time),
            SourceCount = (uint)snapshot.SourceCount,
        };
        switch (snapshot.Content)
        {
            case RuntimesSnapshot runtimes:
                proto.Runtimes = runtimes.ToProto();
                break;
            case TransportsSnapshot transports:
                proto.Transports = transports.ToProto();
                break;
            case LedgerSnapshot ledger:
                proto.Ledger = ledger.ToProto();
                break;
        }

        return proto;
    }

    /// <summary>A batch; each event becomes kind + subject + its described fields.</summary>
    public static V1.Batch ToProto(this ObservationBatch batch)
    {
        var proto = new V1.Batch
        {
            Observer = batch.Observer,
            Cycle = (ulong)batch.Cycle,
            Time = Timestamp.FromDateTimeOffset(batch.Time),
            SourceCount = (uint)batch.SourceCount,
        };
        foreach (var e in batch.Events)
        {
            var mapped = new V1.ObservationEvent { Kind = e.Kind, Subject = e.Subject };
            AddAll(mapped.Attributes, e.Describe());
            proto.Events.Add(mapped);
        }

        return proto;
    }

    /// <summary>A gap: the cycles in (after, resume_at) are not delivered; a fresh snapshot follows on streams.</summary>
    public static V1.Gap ToProto(this ObservationGap gap) => new()
    {
        Observer = gap.Observer,
        Reason = gap.Reason switch
        {
            ObservationGapReason.Trimmed => V1.GapReason.Trimmed,
            ObservationGapReason.FellBehind => V1.GapReason.SlowSubscriber,
            _ => V1.GapReason.Restarted,
        },
        After = (ulong)Math.Max(0, gap.FromCycle - 1),
        ResumeAt = (ulong)gap.ResumeAt,
        Message = gap.Reason switch
        {
            ObservationGapReason.Trimmed => $"cycles {gap.FromCycle}-{gap.ToCycle} of {gap.Observer} have left its history",
            ObservationGapReason.FellBehind => $"the subscriber fell behind and cycles {gap.FromCycle}-{gap.ToCycle} of {gap.Observer} have left its history",
            ObservationGapReason.Restarted => $"cycles before {gap.ToCycle + 1} of {gap.Observer} belong to an earlier run of the server",
            _ => $"cycle {gap.FromCycle - 1} is unknown to {gap.Observer} (its current cycle is lower)",
        },
    };

    /// <summary>A heartbeat: per-observer cycles, and the lowest of them as the position.</summary>
    public static V1.Heartbeat ToProto(this ObservationHeartbeat heartbeat)
    {
        var proto = new V1.Heartbeat
        {
            Time = Timestamp.FromDateTimeOffset(heartbeat.Time),
            Position = heartbeat.Cycles.Count == 0 ? 0 : (ulong)Math.Max(0, heartbeat.Cycles.Values.Min()),
        };
        foreach (var (observer, cycle) in heartbeat.Cycles)
        {
            proto.ObserverPositions[observer] = (ulong)Math.Max(0, cycle);
        }

        return proto;
    }

    /// <summary>A failed cycle.</summary>
    public static V1.CycleFailure ToProto(this ObservationFailure failure, string observer) => new()
    {
        Observer = observer,
        Cycle = (ulong)Math.Max(0, failure.Cycle),
        Time = Timestamp.FromDateTimeOffset(failure.Time),
        SourceCount = (uint)failure.SourceCount,
        Stage = failure.Stage == ObservationFailureStage.SourceRefresh ? V1.FailureStage.SourceRefresh : V1.FailureStage.Poll,
        Message = failure.Message,
    };

    /// <summary>ListObservers: every observer with its subscriptions, and the totals.</summary>
    public static V1.ListObserversResponse ToProto(IReadOnlyList<ObserverStatus> observers, SubscriptionStatistics subscriptions)
    {
        var response = new V1.ListObserversResponse
        {
            TotalResyncs = (ulong)subscriptions.TotalResyncs,
            ActiveSubscriptions = (uint)subscriptions.Active,
            TotalSubscriptions = (ulong)subscriptions.Opened,
            TotalDelivered = (ulong)subscriptions.TotalDelivered,
            TotalDropped = (ulong)subscriptions.TotalDropped,
            TotalGaps = (ulong)subscriptions.TotalGaps,
        };
        foreach (var status in observers)
        {
            var info = new V1.ObserverInfo
            {
                Name = status.Name,
                Description = Descriptions.GetValueOrDefault(status.Name, ""),
                Interval = Duration.FromTimeSpan(status.Interval),
                HistoryLimit = (uint)status.HistoryLimit,
                CurrentCycle = (ulong)Math.Max(0, status.CurrentCycle),
                OldestCycle = (ulong)(status.OldestHistoryCycle ?? 0),
                LastFailure = status.LastFailure?.ToProto(status.Name),
                FirstCycle = (ulong)status.FirstCycle,
                LastBatchCycle = (ulong)status.LastBatchCycle,
                HistoryCount = (uint)status.HistoryCount,
                SnapshotCycle = (ulong)(status.SnapshotCycle ?? 0),
            };
            info.Subscriptions.AddRange(subscriptions.Subscriptions.Where(s => s.Observers.Contains(status.Name)).Select(ToProto));
            response.Observers.Add(info);
        }

        return response;
    }

    /// <summary>GetHistory: the batches, and the gap when some were trimmed or belong to an earlier run.</summary>
    public static V1.GetHistoryResponse ToProto(this ObserverHistory history)
    {
        var response = new V1.GetHistoryResponse
        {
            Truncated = history.Gap is not null,
            CurrentCycle = (ulong)Math.Max(0, history.CurrentCycle),
            Gap = history.Gap?.ToProto(),
        };
        response.Batches.AddRange(history.Batches.Select(b => b.ToProto()));
        return response;
    }

    /// <summary>An optional non-negative duration; zero when unset. A negative one is a violation of <paramref name="field"/>.</summary>
    public static TimeSpan Bounded(Duration? duration, string field, Validator validator)
    {
        if (duration is null)
        {
            return TimeSpan.Zero;
        }

        var valid = TimeMapping.IsNonNegative(duration);
        validator.Require(valid, field, "must be a non-negative duration");
        return valid ? TimeMapping.RoundedUp(duration) : TimeSpan.Zero;
    }

    private static V1.SubscriptionStatus ToProto(SubscriptionStats stats) => new()
    {
        SubscriptionId = stats.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Observers = { stats.Observers },
        Delivered = (ulong)stats.Delivered,
        Lag = (uint)stats.Buffered,
        Resyncs = (ulong)stats.Resyncs,
        Dropped = (ulong)stats.Dropped,
        LagCycles = (ulong)stats.LagCycles,
        Overflows = (ulong)stats.Overflows,
        Gaps = (ulong)stats.Gaps,
        Heartbeats = (ulong)stats.Heartbeats,
        OpenTime = Timestamp.FromDateTimeOffset(stats.CreatedAt),
    };

    private static V1.RuntimesSnapshot ToProto(this RuntimesSnapshot snapshot)
    {
        var proto = new V1.RuntimesSnapshot { TotalQueueDepth = (ulong)snapshot.TotalQueueDepth };
        proto.StateCounts.AddRange(snapshot.CountsByState
            .OrderBy(c => c.Key)
            .Select(c => new V1.StateCount { State = ByName<V1.RuntimeState>(c.Key), Count = (ulong)c.Value }));
        foreach (var runtime in snapshot.Runtimes)
        {
            var row = new V1.RuntimeRow
            {
                RuntimeId = runtime.RuntimeId,
                State = ByName<V1.RuntimeState>(runtime.State),
                QueueDepth = (ulong)runtime.QueueDepth,
                Destination = runtime.Destination ?? "",
            };
            row.PhaseCounts.AddRange(runtime.PhaseCounts
                .OrderBy(p => p.Key)
                .Select(p => new V1.PhaseCount { Phase = ByName<V1.InputPhase>(p.Key), Count = (ulong)p.Value }));
            AddAll(row.Labels, runtime.Labels);
            proto.Runtimes.Add(row);
        }

        return proto;
    }

    private static V1.TransportsSnapshot ToProto(this TransportsSnapshot snapshot)
    {
        var proto = new V1.TransportsSnapshot();
        foreach (var destination in snapshot.Destinations)
        {
            var mapped = new V1.Destination { Name = destination.Name };
            mapped.Wires.AddRange(destination.Wires.OrderBy(w => w.Priority).Select(w => new V1.WireStatus
            {
                Wire = new V1.Wire { Kind = WireKindOf(w.Kind), Address = w.Address, Priority = w.Priority },
                State = w.State switch
                {
                    WireState.Connecting => V1.WireState.Connecting,
                    WireState.Ready => V1.WireState.Ready,
                    WireState.Failed => V1.WireState.Failed,
                    _ => V1.WireState.Idle,
                },
                LastError = w.LastError ?? "",
            }));
            proto.Destinations.Add(mapped);
        }

        return proto;
    }

    private static V1.LedgerSnapshot ToProto(this LedgerSnapshot snapshot) => new()
    {
        AcceptedPerSecond = snapshot.LastCycleRates.AcceptedPerSecond,
        ConsumedPerSecond = snapshot.LastCycleRates.ConsumedPerSecond,
        AbandonedPerSecond = snapshot.LastCycleRates.AbandonedPerSecond,
        AcceptedTotal = (ulong)snapshot.Accepted,
        ConsumedTotal = (ulong)snapshot.Consumed,
        AbandonedTotal = (ulong)snapshot.Abandoned,
        AcceptToConsume = snapshot.Latency.ToProto(),
        LastIntervalAcceptToConsume = snapshot.LastCycleLatency.ToProto(),
        MissedEvents = (ulong)snapshot.MissedEvents,
    };

    private static V1.LatencySummary ToProto(this LatencyPercentiles latency) => new()
    {
        Count = (ulong)latency.Count,
        P50 = Duration.FromTimeSpan(latency.P50),
        P95 = Duration.FromTimeSpan(latency.P95),
        P99 = Duration.FromTimeSpan(latency.P99),
        Max = Duration.FromTimeSpan(latency.Max),
    };

    private static V1.WireKind WireKindOf(string kind) => kind switch
    {
        "grpc" => V1.WireKind.Grpc,
        "websocket" => V1.WireKind.Websocket,
        "http" => V1.WireKind.Http,
        "inproc" => V1.WireKind.Inproc,
        _ => V1.WireKind.Unspecified,
    };

    private static void AddAll(Google.Protobuf.Collections.MapField<string, string> into, IReadOnlyDictionary<string, string> from)
    {
        foreach (var (key, value) in from)
        {
            into[key] = value;
        }
    }

    /// <summary>Domain and proto enums share value names (proto's are the same words with the enum prefix stripped).</summary>
    private static TProto ByName<TProto>(System.Enum value)
        where TProto : struct, System.Enum =>
        System.Enum.TryParse<TProto>(value.ToString(), out var mapped) ? mapped : default;
}
