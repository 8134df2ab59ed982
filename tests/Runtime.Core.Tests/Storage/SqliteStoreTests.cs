using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Runtime.Core.Errors;
using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Core.Storage;
using Runtime.Storage.Sqlite;

namespace Runtime.Core.Tests.Storage;

public sealed class SqliteStoreTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "runtime-store-tests", Guid.NewGuid().ToString("N"));
    private SqliteRuntimeStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteRuntimeStore(Options.Create(new SqliteStoreOptions { DataDirectory = _directory, Synchronous = SqliteSynchronous.Normal }));
        await _store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static RuntimeRecord Runtime(string id) => new()
    {
        RuntimeId = id,
        State = RuntimeState.Idle,
        OwnerEpoch = 1,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private static InputRecord Input(RuntimeRecord runtime, string id) => new()
    {
        InputId = id,
        Position = runtime.NextPosition++,
        Payload = new byte[] { 1, 2, 3 },
        Phase = InputPhase.Queued,
        History = "0||1|queued\n",
        OffCommonPath = true, // its whole state is stored (nothing here is derived from a run)
    };

    private async Task<RuntimeRecord> CreateAsync(string id)
    {
        var runtime = Runtime(id);
        await _store.AppendAsync(new LedgerAppend { Runtime = runtime, CreatesRuntime = true, ExpectedSequence = 0, OwnerEpoch = 1, Kind = "create" }, default);
        runtime.LedgerSequence = 1;
        return runtime;
    }

    [Fact]
    public void Schema_is_versioned_and_the_file_is_in_wal_mode()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "runtime.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        Assert.Equal(2L, command.ExecuteScalar());
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task Append_with_a_stale_sequence_or_epoch_is_aborted_and_writes_nothing()
    {
        var runtime = await CreateAsync("rt");
        runtime.OwnerEpoch = 2;
        await _store.AppendAsync(new LedgerAppend { Runtime = runtime, ExpectedSequence = 1, OwnerEpoch = 2, Kind = "claim" }, default);

        var staleSequence = await Assert.ThrowsAsync<RuntimeException>(() => _store.AppendAsync(new LedgerAppend
        {
            Runtime = runtime, ExpectedSequence = 1, OwnerEpoch = 2, Kind = "accept", Inserted = [Input(runtime, "a")],
        }, default));
        var staleEpoch = await Assert.ThrowsAsync<RuntimeException>(() => _store.AppendAsync(new LedgerAppend
        {
            Runtime = runtime, ExpectedSequence = 2, OwnerEpoch = 1, Kind = "accept", Inserted = [Input(runtime, "b")],
        }, default));

        Assert.Equal(ErrorKind.Aborted, staleSequence.Kind);
        Assert.Equal("LEDGER_FENCED", staleSequence.Reason);
        Assert.Equal(ErrorKind.Aborted, staleEpoch.Kind);
        Assert.Empty(await _store.ListInputsAsync(runtime.Key, [], 0, 10, default));
        var stored = await _store.FindRuntimeAsync("rt", default);
        Assert.Equal(2, stored!.LedgerSequence);
        Assert.Equal(2, stored.OwnerEpoch);
    }

    [Fact]
    public async Task Creating_an_existing_runtime_is_already_exists()
    {
        await CreateAsync("rt");

        var error = await Assert.ThrowsAsync<RuntimeException>(() => CreateAsync("rt"));

        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
    }

    [Fact]
    public async Task Concurrent_appends_from_many_runtimes_group_commit_and_a_failing_one_fails_alone()
    {
        var runtimes = new List<RuntimeRecord>();
        for (var i = 0; i < 20; i++)
        {
            runtimes.Add(await CreateAsync($"rt-{i}"));
        }

        var appends = runtimes.Select(r => _store.AppendAsync(new LedgerAppend
        {
            Runtime = r,
            ExpectedSequence = r.RuntimeId == "rt-7" ? 99 : 1,
            OwnerEpoch = 1,
            Kind = "accept",
            Inserted = Enumerable.Range(0, 50).Select(n => Input(r, $"in-{n}")).ToList(),
        }, default)).ToList();
        var outcome = await Task.WhenAll(appends.Select(async t =>
        {
            try
            {
                await t;
                return "ok";
            }
            catch (RuntimeException e)
            {
                return e.Reason;
            }
        }));

        Assert.Equal(19, outcome.Count(o => o == "ok"));
        Assert.Equal("LEDGER_FENCED", outcome[7]);
        foreach (var runtime in runtimes)
        {
            var stored = await _store.ListInputsAsync(runtime.Key, [], 0, 100, default);
            Assert.Equal(runtime.RuntimeId == "rt-7" ? 0 : 50, stored.Count);
        }
    }

    [Fact]
    public async Task An_append_failing_half_way_writes_nothing_while_appends_queued_with_it_commit()
    {
        var good = await CreateAsync("good");
        var bad = await CreateAsync("bad");
        var later = await CreateAsync("later");

        // Queued back to back so the writer takes them into one transaction: the bad append's runtime row and first
        // input are written before its second input hits the unique id and fails.
        var first = _store.AppendAsync(new LedgerAppend
        {
            Runtime = good, ExpectedSequence = 1, OwnerEpoch = 1, Kind = "accept", Inserted = [Input(good, "a")],
        }, default);
        var failing = _store.AppendAsync(new LedgerAppend
        {
            Runtime = bad, ExpectedSequence = 1, OwnerEpoch = 1, Kind = "accept",
            Inserted = [Input(bad, "same"), Input(bad, "same")],
        }, default);
        var last = _store.AppendAsync(new LedgerAppend
        {
            Runtime = later, ExpectedSequence = 1, OwnerEpoch = 1, Kind = "accept", Inserted = [Input(later, "b")],
        }, default);

        await first;
        var error = await Assert.ThrowsAsync<RuntimeException>(() => failing);
        await last;
        Assert.Equal("INPUT_ALREADY_EXISTS", error.Reason);
        Assert.Empty(await _store.ListInputsAsync(bad.Key, [], 0, 10, default));
        Assert.Equal(1, (await _store.FindRuntimeAsync("bad", default))!.LedgerSequence);
        Assert.Single(await _store.ListInputsAsync(good.Key, [], 0, 10, default));
        Assert.Single(await _store.ListInputsAsync(later.Key, [], 0, 10, default));
        Assert.Equal(2, (await _store.FindRuntimeAsync("later", default))!.LedgerSequence);
    }

    [Fact]
    public async Task Inputs_off_the_common_path_keep_their_whole_state_each()
    {
        var runtime = await CreateAsync("rt");
        var inputs = Enumerable.Range(0, 5).Select(n => Input(runtime, $"in-{n}")).ToList();
        await _store.AppendAsync(new LedgerAppend { Runtime = runtime, ExpectedSequence = 1, OwnerEpoch = 1, Kind = "accept", Inserted = inputs }, default);
        foreach (var input in inputs)
        {
            input.Phase = InputPhase.Staged;
            input.AttemptCount = 1;
            input.LastRunId = "run-1";
            input.History += "2|1|2|staged in run-1\n";
        }

        inputs[3].RecoveryCount = 1;
        await _store.AppendAsync(new LedgerAppend { Runtime = runtime, ExpectedSequence = 2, OwnerEpoch = 1, Kind = "run", Updated = inputs }, default);

        var stored = await _store.ListInputsAsync(runtime.Key, [], 0, 10, default);
        Assert.Equal(5, stored.Count);
        Assert.All(stored, s =>
        {
            Assert.Equal(InputPhase.Staged, s.Phase);
            Assert.Equal(1, s.AttemptCount);
            Assert.Equal("run-1", s.LastRunId);
            Assert.Equal("0||1|queued\n2|1|2|staged in run-1\n", s.History);
        });
        Assert.Equal([0, 0, 0, 1, 0], stored.Select(s => s.RecoveryCount));
    }

    [Fact]
    public async Task Updates_append_history_and_reads_see_committed_rows()
    {
        var runtime = await CreateAsync("rt");
        var input = Input(runtime, "a");
        await _store.AppendAsync(new LedgerAppend { Runtime = runtime, ExpectedSequence = 1, OwnerEpoch = 1, Kind = "accept", Inserted = [input] }, default);
        input.Phase = InputPhase.Abandoned;
        input.AbandonReason = AbandonReason.Reset;
        input.History += "1|1|8|reset\n";
        await _store.AppendAsync(new LedgerAppend { Runtime = runtime, ExpectedSequence = 2, OwnerEpoch = 1, Kind = "reset", Updated = [input] }, default);

        var stored = await _store.FindInputAsync(runtime.Key, "a", default);

        Assert.Equal(InputPhase.Abandoned, stored!.Phase);
        Assert.Equal(AbandonReason.Reset, stored.AbandonReason);
        Assert.Equal("0||1|queued\n1|1|8|reset\n", stored.History);
        Assert.Equal(new byte[] { 1, 2, 3 }, stored.Payload.ToArray());
        var snapshot = await _store.LoadAsync("rt", default);
        Assert.Empty(snapshot!.LiveInputs);
        Assert.Equal(3, snapshot.HighestLedgerSequence);
    }
}
