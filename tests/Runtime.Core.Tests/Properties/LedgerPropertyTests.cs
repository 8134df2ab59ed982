using CsCheck;
using Runtime.Core.Delivery;
using Runtime.Core.Errors;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Tests.Support;

namespace Runtime.Core.Tests.Properties;

/// <summary>
/// Random sequences of accepts (with repeated idempotency keys), good and failing runs, acks, run completions,
/// lifecycle operations and restarts; after every step the ledger on disk must satisfy the invariants and answer as
/// the reference model says. The model is what was answered before (keys, terminal phases) and the durable event log:
/// every transition the runtime made, as it made it, so an input's phase, history and phase listings derived from the
/// journal must agree with it, also after restarts.
/// </summary>
public sealed class LedgerPropertyTests
{
    private const string RuntimeId = "prop";
    private const string Sink = "inproc:prop";

    private enum Step
    {
        Accept,
        AcceptBatch,
        SinkOk,
        SinkFail,
        AdvanceTime,
        Ack,
        CompleteRun,
        FailRun,
        Retire,
        Reset,
        Recover,
        Recycle,
        Restart,
        Destroy,
    }

    private sealed record Op(Step Step, int A, int B)
    {
        public override string ToString() => $"{Step}({A},{B})";
    }

    private static readonly Gen<Op> OpGen = Gen.Select(
        Gen.Frequency(
            (8, Gen.Const(Step.Accept)), (3, Gen.Const(Step.AcceptBatch)), (2, Gen.Const(Step.SinkOk)),
            (2, Gen.Const(Step.SinkFail)), (2, Gen.Const(Step.AdvanceTime)), (2, Gen.Const(Step.Ack)),
            (2, Gen.Const(Step.CompleteRun)), (1, Gen.Const(Step.FailRun)), (1, Gen.Const(Step.Retire)),
            (1, Gen.Const(Step.Reset)), (1, Gen.Const(Step.Recover)), (1, Gen.Const(Step.Recycle)),
            (2, Gen.Const(Step.Restart)), (1, Gen.Const(Step.Destroy))),
        Gen.Int[0, 5], Gen.Int[0, 3],
        (step, a, b) => new Op(step, a, b));

    [Fact]
    public async Task Ledger_invariants_hold_under_random_operations()
    {
        await Gen.Select(OpGen.Array[1, 14], Gen.Int[0, 3]).SampleAsync(
            (ops, mode) => RunAsync(ops, (QueueMode)mode), iter: 60, threads: 1);
    }

    private static async Task RunAsync(Op[] ops, QueueMode mode)
    {
        await using var f = await HostFixture.StartAsync();
        var failing = false;
        f.Port.Register(Sink, (_, _) => ValueTask.FromResult(failing
            ? new DeliveryResult(DeliveryStatus.RetryableFailure, "scripted failure")
            : DeliveryResult.Acked));
        await f.CreateAsync(RuntimeId, Sink, RuntimePolicy.Default with
        {
            QueueMode = mode,
            MaxBatchPerRun = 2,
            MaxAttempts = 3,
            RetryBackoff = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 2),
        });
        var model = new Model();
        foreach (var op in ops)
        {
            try
            {
                switch (op.Step)
                {
                    case Step.Accept:
                        model.Record(await f.Host.AcceptInputsAsync(RuntimeId, [Submission(op.A, op.B)]), [Submission(op.A, op.B)]);
                        break;
                    case Step.AcceptBatch:
                        var batch = Enumerable.Range(0, 3).Select(i => Submission((op.A + i) % 6, (op.B + i) % 4)).ToList();
                        model.Record(await f.Host.AcceptInputsAsync(RuntimeId, batch), batch);
                        break;
                    case Step.SinkOk:
                        failing = false;
                        break;
                    case Step.SinkFail:
                        failing = true;
                        break;
                    case Step.AdvanceTime:
                        f.Time.Advance(TimeSpan.FromSeconds(2));
                        break;
                    case Step.Ack:
                        var pending = (await f.Host.ListInputsAsync(new InputQuery { RuntimeId = RuntimeId, Phases = [InputPhase.AppliedPendingConsumption] })).Inputs;
                        if (pending.Count > 0)
                        {
                            await f.Host.PublishEventAsync(RuntimeId, new ExternalEvent
                            {
                                Kind = ExternalEventKind.InputsAcked,
                                InputIds = [pending[op.A % pending.Count].InputId],
                            });
                        }

                        break;
                    case Step.CompleteRun or Step.FailRun:
                        if ((await f.Host.GetRuntimeStateAsync(RuntimeId)).CurrentRunId is { } runId)
                        {
                            await f.Host.PublishEventAsync(RuntimeId, new ExternalEvent
                            {
                                Kind = op.Step == Step.CompleteRun ? ExternalEventKind.RunCompleted : ExternalEventKind.RunFailed,
                                RunId = runId,
                                Error = "reported failure",
                            });
                        }

                        break;
                    case Step.Retire:
                        await f.Host.RetireRuntimeAsync(RuntimeId);
                        break;
                    case Step.Reset:
                        await f.Host.ResetRuntimeAsync(RuntimeId);
                        break;
                    case Step.Recover:
                        await f.Host.RecoverRuntimeAsync(RuntimeId);
                        break;
                    case Step.Recycle:
                        await f.Host.RecycleRuntimeAsync(RuntimeId);
                        break;
                    case Step.Restart:
                        await f.RestartAsync();
                        break;
                    case Step.Destroy:
                        await f.Host.DestroyRuntimeAsync(RuntimeId);
                        break;
                }
            }
            catch (RuntimeException e) when (e.Kind == ErrorKind.FailedPrecondition)
            {
                // A lifecycle rule refused the step (for example reset while a run is in flight): allowed, checked below.
            }

            await f.SettleAsync(RuntimeId);
            await model.CheckAsync(f);
        }
    }

    /// <summary>
    /// Six idempotency keys (0 = none), four payloads; the consume point, coalesce / supersession keys, priority and
    /// lane follow from them, so every queue mode meets merges, replacements and signals.
    /// </summary>
    private static InputSubmission Submission(int key, int payload) => new()
    {
        IdempotencyKey = key == 0 ? "" : $"key-{key}",
        Payload = new[] { (byte)payload },
        Kind = "prop",
        CoalesceKey = $"c{(key + payload) % 2}",
        SupersessionKey = $"s{key % 3}",
        Priority = payload,
        PayloadType = key == 5 ? PayloadType.RpcSignal : PayloadType.RpcReliable,
        ConsumePoint = payload switch
        {
            1 => ConsumePoint.ExplicitAck,
            2 => ConsumePoint.OnRunComplete,
            3 => ConsumePoint.OnAccept,
            _ => ConsumePoint.OnApply,
        },
    };

    private sealed class Model
    {
        private readonly Dictionary<string, string> _idByKey = [];
        private readonly Dictionary<string, InputPhase> _lastPhase = [];
        private long _lastReceipt;

        public void Record(IReadOnlyList<AcceptResult> results, IReadOnlyList<InputSubmission> submissions)
        {
            Assert.Equal(submissions.Count, results.Count);
            for (var i = 0; i < results.Count; i++)
            {
                var (result, key) = (results[i], submissions[i].IdempotencyKey);
                if (result.Outcome == AcceptOutcome.Rejected)
                {
                    Assert.True(result.Failure is null || result.Failure.Reason == "IDEMPOTENCY_KEY_REUSED", result.Reason);
                    continue;
                }

                if (result.Outcome == AcceptOutcome.Accepted)
                {
                    Assert.False(_lastPhase.ContainsKey(result.InputId), "a new input got an id already used");
                    _lastPhase[result.InputId] = result.Phase!.Value;
                }

                if (key.Length > 0)
                {
                    // Dedup holds: one key, one input, forever.
                    if (_idByKey.TryGetValue(key, out var first))
                    {
                        Assert.Equal(first, result.InputId);
                        Assert.Equal(AcceptOutcome.Deduplicated, result.Outcome);
                    }
                    else
                    {
                        _idByKey[key] = result.InputId;
                    }
                }
            }
        }

        public async Task CheckAsync(HostFixture f)
        {
            // Every accepted input is on disk exactly once, in exactly one phase.
            var rows = new List<(string Id, InputPhase Phase, IReadOnlyList<InputTransition> History)>();
            var token = "";
            do
            {
                var page = await f.Host.ListInputsAsync(new InputQuery { RuntimeId = RuntimeId, PageSize = 100, PageToken = token });
                rows.AddRange(page.Inputs.Select(i => (i.InputId, i.Phase, i.History)));
                token = page.NextPageToken;
            }
            while (token.Length > 0);

            Assert.Equal(rows.Count, f.StoredInputCount());
            Assert.Equal(_lastPhase.Count, rows.Count);
            Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
            foreach (var (id, phase, history) in rows)
            {
                Assert.True(_lastPhase.TryGetValue(id, out var before), $"unknown input {id} on disk");
                if (InputPhaseMachine.IsTerminal(before))
                {
                    Assert.Equal(before, phase); // terminal stays terminal
                }

                // The history is a walk through the phase table ending in the current phase.
                var steps = history;
                Assert.Null(steps[0].From);
                Assert.Equal(InputPhase.Accepted, steps[0].To);
                for (var i = 1; i < steps.Count; i++)
                {
                    Assert.Equal(steps[i - 1].To, steps[i].From);
                    Assert.True(InputPhaseMachine.CanMove(steps[i].From!.Value, steps[i].To), $"{steps[i].From} -> {steps[i].To}");
                }

                Assert.Equal(phase, steps[^1].To);
                _lastPhase[id] = phase;
            }

            // Receipt sequences increase: new ones only after the last one seen, no gaps, no repeats.
            var receipts = f.Sql("SELECT receipt_seq FROM runs WHERE receipt_seq IS NOT NULL ORDER BY receipt_seq", r =>
            {
                var list = new List<long>();
                while (r.Read())
                {
                    list.Add(r.GetInt64(0));
                }

                return list;
            });
            Assert.Equal(Enumerable.Range(1, receipts.Count).Select(i => (long)i), receipts);
            Assert.True(receipts.Count >= _lastReceipt);
            _lastReceipt = receipts.Count;

            // Counts in GetRuntime match the ledger.
            var info = await f.Host.GetRuntimeAsync(RuntimeId);
            foreach (var phase in InputPhaseMachine.All)
            {
                Assert.Equal(rows.Count(r => r.Phase == phase), info.PhaseCounts[phase]);
            }

            Assert.Equal(receipts.Count, info.LastBoundarySequence);

            await CheckAgainstEventLogAsync(f, rows);
        }

        private static async Task CheckAgainstEventLogAsync(HostFixture f, List<(string Id, InputPhase Phase, IReadOnlyList<InputTransition> History)> rows)
        {
            var transitions = new Dictionary<string, List<(InputPhase To, string Reason)>>();
            foreach (var (_, e) in await f.EventLog.ReadAsync(0, 1_000_000, CancellationToken.None))
            {
                if (e is { Kind: Events.RuntimeEventKind.InputTransitioned, RuntimeId: RuntimeId, InputId: { } id, ToPhase: { } to })
                {
                    (transitions.TryGetValue(id, out var list) ? list : transitions[id] = []).Add((to, e.Reason ?? ""));
                }
            }

            Assert.Equal(transitions.Keys.Order(), rows.Select(r => r.Id).Order());
            foreach (var (id, phase, history) in rows)
            {
                // An abandoning transition's event names the abandon reason; every other one says what the history says.
                var state = await f.Host.GetInputStateAsync(RuntimeId, id);
                Assert.Equal(transitions[id], history.Select(h => (h.To, h.To == InputPhase.Abandoned ? state.AbandonReason.ToString() : h.Reason)));
                Assert.Equal((phase, history.Count), (state.Phase, state.History.Count));
            }

            foreach (var phases in InputPhaseMachine.All.Select(p => new[] { p })
                         .Append([InputPhase.Queued, InputPhase.Consumed]).Append([InputPhase.Applied, InputPhase.Abandoned, InputPhase.Coalesced]))
            {
                var listed = new List<string>();
                var token = "";
                do
                {
                    var page = await f.Host.ListInputsAsync(new InputQuery { RuntimeId = RuntimeId, Phases = phases, PageSize = 3, PageToken = token });
                    listed.AddRange(page.Inputs.Select(i => i.InputId));
                    token = page.NextPageToken;
                }
                while (token.Length > 0);

                Assert.Equal(rows.Where(r => phases.Contains(r.Phase)).Select(r => r.Id), listed);
            }
        }
    }
}
