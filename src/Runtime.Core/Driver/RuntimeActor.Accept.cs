using System.Security.Cryptography;
using System.Text;
using Runtime.Core.Errors;
using Runtime.Core.Events;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Policies;
using Runtime.Core.Runtimes;
using Runtime.Core.Storage;

namespace Runtime.Core.Driver;

internal sealed partial class RuntimeActor
{
    /// <summary>
    /// Accepts the inputs of this message and of every accept message queued right behind it, in order, as one
    /// commit: callers get their answers only once their inputs are on disk.
    /// </summary>
    private async Task AcceptAsync(AcceptMessage first)
    {
        var messages = new List<AcceptMessage> { first };
        var total = first.Inputs.Count;
        while (total < MaxInputsPerAcceptTurn && _mailbox.Reader.TryPeek(out var next) && next is AcceptMessage more &&
               _mailbox.Reader.TryRead(out _))
        {
            messages.Add(more);
            total += more.Inputs.Count;
        }

        var turn = new Turn("accept", Now);
        var answers = new AcceptResult[messages.Count][];
        try
        {
            if (_runtime is null)
            {
                throw NotFound();
            }

            var stored = await FindStoredAsync(messages);
            for (var m = 0; m < messages.Count; m++)
            {
                var inputs = messages[m].Inputs;
                var results = answers[m] = new AcceptResult[inputs.Count];
                for (var i = 0; i < inputs.Count; i++)
                {
                    results[i] = AcceptOne(turn, inputs[i], stored);
                }
            }

            Pump(turn);
        }
        catch (Exception e)
        {
            if (turn.HasChanges)
            {
                _reloadNeeded = true;
            }

            foreach (var message in messages)
            {
                message.Fail(e);
            }

            return;
        }

        // Answered only once the append holding these inputs committed: ACCEPTED means on disk.
        turn.AfterCommit.Add(() =>
        {
            for (var m = 0; m < messages.Count; m++)
            {
                messages[m].Completion.TrySetResult(answers[m]);
            }
        });
        turn.OnFailure.Add(e =>
        {
            foreach (var message in messages)
            {
                message.Fail(e);
            }
        });
        await CommitAsync(turn);
    }

    /// <summary>
    /// Looks up, in one store round trip, the idempotency keys and client ids of the batch that are not held in memory
    /// (terminal inputs live only in the store; its indexes answer, nothing is loaded in bulk).
    /// </summary>
    private async Task<StoredMatches> FindStoredAsync(List<AcceptMessage> messages)
    {
        HashSet<string>? keys = null;
        HashSet<string>? ids = null;
        foreach (var message in messages)
        {
            foreach (var submission in message.Inputs)
            {
                if (submission.IdempotencyKey.Length > 0 && _live.FindByIdempotencyKey(submission.IdempotencyKey) is null)
                {
                    (keys ??= new(StringComparer.Ordinal)).Add(submission.IdempotencyKey);
                }

                if (submission.InputId.Length > 0 && _live.FindById(submission.InputId) is null)
                {
                    (ids ??= new(StringComparer.Ordinal)).Add(submission.InputId);
                }
            }
        }

        if (keys is null && ids is null)
        {
            return StoredMatches.None;
        }

        var (byKey, byId) = await _context.Store.FindExistingAsync(_runtime!.Key, (IReadOnlyCollection<string>?)keys ?? [],
            (IReadOnlyCollection<string>?)ids ?? [], CancellationToken.None);
        return new StoredMatches(byKey, byId);
    }

    private sealed record StoredMatches(IReadOnlyDictionary<string, InputRecord> ByKey, IReadOnlyDictionary<string, InputRecord> ById)
    {
        public static StoredMatches None { get; } = new(new Dictionary<string, InputRecord>(), new Dictionary<string, InputRecord>());
    }

    private AcceptResult AcceptOne(Turn turn, InputSubmission submission, StoredMatches stored)
    {
        try
        {
            _context.Validation.Input(submission);
        }
        catch (RuntimeException e)
        {
            return Failed(e);
        }

        var runtime = _runtime!;
        if (_quarantine is not null)
        {
            return Rejected("RUNTIME_QUARANTINED");
        }

        if (!RuntimeStateMachine.AcceptsInput(runtime.State))
        {
            return Rejected(runtime.State switch
            {
                RuntimeState.Retired => "RUNTIME_RETIRED",
                RuntimeState.Stopped => "RUNTIME_STOPPED",
                RuntimeState.Destroyed => "RUNTIME_DESTROYED",
                _ => "RUNTIME_NOT_READY",
            });
        }

        var clientId = submission.InputId.Length > 0;
        byte[]? hash = null;
        if (submission.IdempotencyKey.Length > 0 || clientId)
        {
            hash = ContentHash(submission);
        }

        if (submission.IdempotencyKey.Length > 0)
        {
            var key = submission.IdempotencyKey;
            var existing = turn.NewWithKey(key) ?? InFlightNew(t => t.NewWithKey(key)) ?? _live.FindByIdempotencyKey(key) ??
                           stored.ByKey.GetValueOrDefault(key);
            if (existing is not null)
            {
                return SameContent(existing, hash!)
                    ? Deduplicated(existing)
                    : Failed(Fail.AlreadyExists("IDEMPOTENCY_KEY_REUSED",
                        $"Idempotency key '{key}' was used for a different payload (input '{existing.InputId}').",
                        ("runtime_id", RuntimeId), ("idempotency_key", key), ("existing_input_id", existing.InputId)));
            }
        }

        if (clientId)
        {
            var existing = turn.NewWithId(submission.InputId) ?? InFlightNew(t => t.NewWithId(submission.InputId)) ??
                           _live.FindById(submission.InputId) ?? stored.ById.GetValueOrDefault(submission.InputId);
            if (existing is not null)
            {
                return SameContent(existing, hash!)
                    ? Deduplicated(existing)
                    : Failed(Fail.AlreadyExists("INPUT_ALREADY_EXISTS",
                        $"Input '{submission.InputId}' already exists with a different payload.",
                        ("runtime_id", RuntimeId), ("input_id", submission.InputId)));
            }
        }

        if (_live.Count >= _context.Options.Limits.MaxQueuedInputsPerRuntime)
        {
            return Failed(Fail.Exhausted("RUNTIME_QUEUE_FULL",
                $"Runtime '{RuntimeId}' already holds {_live.Count} unfinished inputs.",
                ("runtime_id", RuntimeId), ("limit", _context.Options.Limits.MaxQueuedInputsPerRuntime.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        var now = turn.Now;
        var input = new InputRecord
        {
            InputId = clientId ? submission.InputId : TimeOrderedId.ForPosition(now, RuntimeId, runtime.NextPosition),
            Position = runtime.NextPosition++,
            Kind = submission.Kind,
            Payload = submission.Payload,
            ContentType = submission.ContentType,
            Headers = submission.Headers,
            IdempotencyKey = submission.IdempotencyKey,
            IdempotencyHash = hash,
            SupersessionKey = submission.SupersessionKey,
            CoalesceKey = submission.CoalesceKey,
            Priority = submission.Priority,
            PayloadType = submission.PayloadType,
            ConsumePoint = submission.ConsumePoint,
            MaxAttempts = submission.MaxAttempts,
            Phase = InputPhase.Accepted,
            CreatedAt = now,
            UpdatedAt = now,
            History = TransitionLog.Accepted(now),
            IsNew = true,
        };
        runtime.PhaseCounts[(int)InputPhase.Accepted]++;
        turn.Inserted.Add(input);
        turn.RuntimeChanged = true;
        turn.Remember(input, clientId);
        var older = Policy.QueueMode == QueueMode.Supersede && input.SupersessionKey.Length > 0
            ? _live.LatestWithSupersessionKey(input.SupersessionKey)
            : null;
        _live.Add(input);
        if (Observes(EventCategory.InputLifecycle))
        {
            turn.Events.Add(new RuntimeEvent
            {
                Kind = RuntimeEventKind.InputTransitioned,
                Time = now,
                RuntimeId = RuntimeId,
                InputId = input.InputId,
                InputKind = input.Kind,
                ToPhase = InputPhase.Accepted,
                PayloadType = input.PayloadType,
                Bytes = input.Payload.Length,
                Reason = "accepted",
            });
        }

        if ((input.ConsumePoint ?? Policy.ConsumePoint) == Policies.ConsumePoint.OnAccept)
        {
            MoveInput(turn, input, InputPhase.Consumed, CommonPath.ConsumedOnAcceptReason);
            return Accepted(input);
        }

        if (Policy.QueueMode == QueueMode.Coalesce && input.CoalesceKey.Length > 0 &&
            _live.CoalesceTarget(input.CoalesceKey) is { } target)
        {
            MoveInput(turn, input, InputPhase.Coalesced, $"coalesced into {target.InputId}");
            return Accepted(input) with { ExistingInputId = target.InputId };
        }

        if (older is { Phase: InputPhase.Queued })
        {
            MoveInput(turn, older, InputPhase.Superseded, $"superseded by {input.InputId}");
        }

        MoveInput(turn, input, InputPhase.Queued, CommonPath.QueuedReason);
        return Accepted(input);
    }

    /// <summary>SHA-256 of kind and payload: what "the same input" means for idempotency keys and client ids.</summary>
    private static byte[] ContentHash(InputSubmission submission)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(submission.Kind));
        hash.AppendData([0]);
        hash.AppendData(submission.Payload.Span);
        return hash.GetHashAndReset();
    }

    private static bool SameContent(InputRecord existing, byte[] hash) =>
        existing.IdempotencyHash is { } stored && stored.AsSpan().SequenceEqual(hash);

    private static AcceptResult Accepted(InputRecord input) =>
        new() { Outcome = AcceptOutcome.Accepted, InputId = input.InputId, Phase = input.Phase };

    private static AcceptResult Deduplicated(InputRecord existing) => new()
    {
        Outcome = AcceptOutcome.Deduplicated,
        InputId = existing.InputId,
        ExistingInputId = existing.InputId,
        Phase = existing.Phase,
    };

    private static AcceptResult Rejected(string reason) => new() { Outcome = AcceptOutcome.Rejected, Reason = reason };

    private static AcceptResult Failed(RuntimeException error) => new()
    {
        Outcome = AcceptOutcome.Rejected,
        Reason = error.Reason,
        Failure = AcceptFailure.From(error),
    };
}
