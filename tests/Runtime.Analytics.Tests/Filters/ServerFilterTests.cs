using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Runtime.Analytics.Filters;
using Runtime.Core.Inputs;

namespace Runtime.Analytics.Tests.Filters;

public sealed class ServerFilterTests
{
    [Fact]
    public async Task The_filter_and_its_epoch_survive_a_restart_and_later_rows_carry_it()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        FilterState saved;
        await using (var first = new AnalyticsRig(directory.Path))
        {
            new ServerFilter(time, first.Options).Set("runtime == \"a\"");
            saved = new ServerFilter(time, first.Options).Set("runtime ^= \"orders-\"");
        }

        await using var second = new AnalyticsRig(directory.Path);
        var reopened = second.Filter.Current;
        await second.PublishAsync(Events.Input(0, "orders-1", InputPhase.Accepted).Event, Events.Input(0, "billing-1", InputPhase.Accepted).Event);
        var stats = second.Stats.GetSnapshot();
        var next = second.Filter.Set("");

        Assert.Equal(2, saved.Epoch);
        Assert.Equal(("runtime ^= \"orders-\"", 2L, saved.ChangedAt), (reopened.Expression.Text, reopened.Epoch, reopened.ChangedAt));
        Assert.Equal((2L, 1L), (stats.FilterEpoch, stats.Totals.Accepted));
        Assert.Equal(3, next.Epoch);
        Assert.False(File.Exists(Path.Combine(directory.Path, ServerFilter.FileName + ".tmp")));
    }

    [Fact]
    public void Reopening_keeps_the_epoch_and_change_time_and_a_malformed_filter_is_not_saved()
    {
        using var directory = new TempDirectory();
        var options = Options.Create(new AnalyticsOptions { DataDirectory = directory.Path });
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var set = new ServerFilter(time, options).Set("phase in (CONSUMED, ABANDONED)");
        Assert.Throws<Core.Errors.RuntimeException>(() => new ServerFilter(time, options).Set("phase in ("));

        var reopened = new ServerFilter(time, options).Current;

        Assert.Equal(("phase in (CONSUMED, ABANDONED)", 1L, set.ChangedAt), (reopened.Expression.Text, reopened.Epoch, reopened.ChangedAt));
    }

    [Fact]
    public void A_saved_filter_that_no_longer_parses_reopens_unfiltered_under_a_new_epoch()
    {
        using var directory = new TempDirectory();
        var options = Options.Create(new AnalyticsOptions { DataDirectory = directory.Path });
        File.WriteAllText(
            Path.Combine(directory.Path, ServerFilter.FileName),
            """{"Filter":"no_such_field == 1","Epoch":7,"ChangedAt":null}""");

        var reopened = new ServerFilter(TimeProvider.System, options);

        Assert.True(reopened.Current.Expression.MatchesAll);
        Assert.Equal(8, reopened.Current.Epoch);
        Assert.Equal(8, new ServerFilter(TimeProvider.System, options).Current.Epoch);
    }

    [Fact]
    public void Without_a_data_directory_the_filter_starts_empty_at_epoch_zero()
    {
        var filter = new ServerFilter(TimeProvider.System);

        Assert.True(filter.Current.Expression.MatchesAll);
        Assert.Equal(0, filter.Current.Epoch);
        Assert.Null(filter.Current.ChangedAt);
    }
}
