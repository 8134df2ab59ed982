using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Runtime.Client.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also reports every timer the code under test creates, so a test can wait
/// for "the client is now waiting N" as a real signal before it advances time.
/// </summary>
public sealed class SignallingTimeProvider : TimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>The fake clock behind it: advance it to fire timers.</summary>
    public FakeTimeProvider Clock { get; } = new();

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Clock.GetUtcNow();

    /// <inheritdoc />
    public override long GetTimestamp() => Clock.GetTimestamp();

    /// <inheritdoc />
    public override long TimestampFrequency => Clock.TimestampFrequency;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Clock.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created (bounded wait).</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _timers.Reader.ReadAsync(timeout.Token);
    }
}
