using Microsoft.Extensions.Options;

namespace Runtime.Observation.Events;

/// <summary>Settings of the runtime event stream (section <c>Runtime:Observation:Events</c>).</summary>
public sealed class EventStreamOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Runtime:Observation:Events";

    /// <summary>
    /// How many recent events the ring holds in memory; a watcher further behind reads older events from the ledger's
    /// event log.
    /// </summary>
    public int RingCapacity { get; set; } = 65_536;

    /// <summary>Most events in one <see cref="EventBatch"/>.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// How long a publish waits before waking watchers, so events published close together (one commit's
    /// transitions) reach each watcher as one batch. Zero wakes at once. A latency cost of about this much buys far
    /// fewer messages when many watchers follow a busy stream.
    /// </summary>
    public TimeSpan WakeDelay { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Extra wake delay per open watcher. Every wake costs each watcher a turn on the thread pool (a read and a
    /// write), so with many watchers wakes can be spaced out to keep their total cost per second bounded: 1,000
    /// watchers at 25 µs wake at most every 25 ms, each then sending what arrived meanwhile as one batch. Off (0)
    /// by default: in the fan-out benchmark it did not lower lag at 1,000 subscribers and added some at 100.
    /// </summary>
    public TimeSpan WakeDelayPerWatcher { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The most the per-watcher growth can add up to, however many watchers there are (a bound on the latency it
    /// adds); <see cref="WakeDelay"/> itself always applies.
    /// </summary>
    public TimeSpan MaxWakeDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A watcher that has had nothing to send for this long gets a heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Checks <see cref="EventStreamOptions"/>.</summary>
public sealed class EventStreamOptionsValidator : IValidateOptions<EventStreamOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EventStreamOptions options)
    {
        var failures = new List<string>();
        if (options.RingCapacity < 1)
        {
            failures.Add($"Runtime:Observation:Events:RingCapacity must be at least 1 (got {options.RingCapacity}).");
        }

        if (options.MaxBatchSize < 1)
        {
            failures.Add($"Runtime:Observation:Events:MaxBatchSize must be at least 1 (got {options.MaxBatchSize}).");
        }

        if (options.WakeDelay < TimeSpan.Zero || options.WakeDelay > TimeSpan.FromSeconds(1))
        {
            failures.Add($"Runtime:Observation:Events:WakeDelay must be between 0 and 1 second (got {options.WakeDelay}).");
        }

        if (options.WakeDelayPerWatcher < TimeSpan.Zero || options.WakeDelayPerWatcher > TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"Runtime:Observation:Events:WakeDelayPerWatcher must be between 0 and 10 ms (got {options.WakeDelayPerWatcher}).");
        }

        if (options.MaxWakeDelay < TimeSpan.Zero || options.MaxWakeDelay > TimeSpan.FromSeconds(1))
        {
            failures.Add($"Runtime:Observation:Events:MaxWakeDelay must be between 0 and 1 second (got {options.MaxWakeDelay}).");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add($"Runtime:Observation:Events:HeartbeatInterval must be greater than zero (got {options.HeartbeatInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> when <paramref name="options"/> is invalid.</summary>
    public static EventStreamOptions Check(EventStreamOptions options)
    {
        var result = new EventStreamOptionsValidator().Validate(null, options);
        return result.Failed
            ? throw new OptionsValidationException(Options.DefaultName, typeof(EventStreamOptions), result.Failures)
            : options;
    }
}
