using System.Globalization;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;
using Runtime.Core.Tests.Support;

namespace Runtime.Core.Tests.Storage;

/// <summary>
/// A ledger written by schema 1 (one mutable row per input) is migrated to the journal on first open and answers
/// exactly as before. <c>Fixtures/ledger-v1.db</c> is a real file written by the schema 1 code (see Fixtures/README.md),
/// and <c>ledger-v1.answers.txt</c> what that code answered about it after a restart.
/// </summary>
public sealed class LedgerMigrationTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Storage", "Fixtures");

    private static DateTimeOffset FixtureClock() =>
        new(long.Parse(File.ReadAllText(Path.Combine(Fixtures, "ledger-v1.clock.txt")).Trim(), CultureInfo.InvariantCulture), TimeSpan.Zero);

    [Fact]
    public async Task A_schema_1_ledger_is_migrated_and_answers_exactly_as_before()
    {
        await using var f = await HostFixture.StartOnCopyAsync(Path.Combine(Fixtures, "ledger-v1.db"), FixtureClock());

        var answers = await LedgerAnswers.DumpAsync(f.Host);

        Assert.Equal(File.ReadAllText(Path.Combine(Fixtures, "ledger-v1.answers.txt")), answers);
        Assert.Equal(2, f.Count("PRAGMA user_version"));
        Assert.Equal(0, f.Count("SELECT count(*) FROM sqlite_master WHERE name IN ('inputs', 'receipts', 'ledger')"));
    }

    [Fact]
    public async Task A_migrated_ledger_keeps_deduplicating_and_goes_on_working()
    {
        await using var f = await HostFixture.StartOnCopyAsync(Path.Combine(Fixtures, "ledger-v1.db"), FixtureClock());

        // Keys and client-chosen ids of schema 1 inputs, live and terminal, still deduplicate.
        var keyed = await f.Host.AcceptInputAsync("fifo", HostFixture.Input("one", key: "k1"));
        var chosen = await f.Host.AcceptInputAsync("fifo", new InputSubmission { InputId = "chosen-1", Kind = "k", Payload = "three"u8.ToArray() });
        var held = await f.Host.AcceptInputAsync("held", HostFixture.Input("h1", key: "hk"));
        var fresh = await f.Host.AcceptInputAsync("fifo", HostFixture.Input("six"));
        await f.SettleAsync("fifo");
        var queued = await f.Host.ListInputsAsync(new InputQuery { RuntimeId = "held", Phases = [InputPhase.Queued] });

        Assert.Equal(AcceptOutcome.Deduplicated, keyed.Outcome);
        Assert.Equal(AcceptOutcome.Deduplicated, chosen.Outcome);
        Assert.Equal("chosen-1", chosen.InputId);
        Assert.Equal(AcceptOutcome.Deduplicated, held.Outcome);
        Assert.Equal(InputPhase.Queued, held.Phase);
        Assert.Equal(AcceptOutcome.Accepted, fresh.Outcome);
        Assert.Equal(InputPhase.Consumed, (await f.Host.GetInputStateAsync("fifo", fresh.InputId)).Phase);
        Assert.Equal(6, (await f.Host.GetInputStateAsync("fifo", fresh.InputId)).Position);
        Assert.Equal(3, queued.Inputs.Count);

        await f.RestartAsync();
        Assert.Equal(InputPhase.Consumed, (await f.Host.GetInputStateAsync("fifo", fresh.InputId)).Phase);
        Assert.Equal(3, (await f.Host.GetRuntimeAsync("held")).QueueDepth);
    }
}
