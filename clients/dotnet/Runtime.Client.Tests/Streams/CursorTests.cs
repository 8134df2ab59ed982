using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Time.Testing;
using Runtime.Client.Streams;
using Runtime.Contracts.V1;
using static Runtime.Client.Tests.Infrastructure.Messages;

namespace Runtime.Client.Tests.Streams;

/// <summary>Resume points and limits, without a server.</summary>
public sealed class CursorTests
{
    [Fact]
    public void The_event_resume_point_never_moves_backwards()
    {
        var cursor = new RuntimeEventsCursor(new WatchRuntimeEventsRequest(), new FakeTimeProvider());
        Assert.Null(cursor.Position);
        Assert.False(cursor.NextRequest().HasAfterSequence);

        cursor.Delivered(Events(7, 8));
        cursor.Delivered(EventHeartbeat(3));

        Assert.Equal(8UL, cursor.Position);
        Assert.Equal(8UL, cursor.NextRequest().AfterSequence);
    }

    [Fact]
    public void Max_duration_is_what_is_left_of_the_callers_budget()
    {
        var time = new FakeTimeProvider();
        var cursor = new RuntimeEventsCursor(new WatchRuntimeEventsRequest { MaxDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)) }, time);

        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(6), cursor.NextRequest().MaxDuration.ToTimeSpan());
        Assert.False(cursor.Exhausted);

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(cursor.Exhausted);
    }

    [Fact]
    public void Unlimited_requests_stay_unlimited_on_reconnection()
    {
        var cursor = new ObservationCursor(new SubscribeRequest(), new FakeTimeProvider());
        cursor.Delivered(Batch("runtimes", 1));

        var next = cursor.NextRequest();

        Assert.Equal(0U, next.MaxMessages);
        Assert.Null(next.MaxDuration);
        Assert.False(cursor.Exhausted);
    }

    [Fact]
    public void A_heartbeat_moves_the_cycle_only_when_one_observer_is_followed()
    {
        var many = new ObservationCursor(new SubscribeRequest(), new FakeTimeProvider());
        var one = new ObservationCursor(new SubscribeRequest { Observers = { "ledger" } }, new FakeTimeProvider());

        many.Delivered(ObservationHeartbeat(5));
        one.Delivered(ObservationHeartbeat(5));

        Assert.Empty(many.Cycles);
        Assert.Equal(5UL, one.Cycles["ledger"]);
    }

    [Fact]
    public void A_caller_resume_point_is_kept_until_something_newer_arrives()
    {
        var cursor = new ObservationCursor(new SubscribeRequest { AfterCycle = 12, IncludeSnapshot = true }, new FakeTimeProvider());

        var next = cursor.NextRequest();

        Assert.Equal(12UL, next.AfterCycle);
        Assert.True(next.IncludeSnapshot);
    }
}
