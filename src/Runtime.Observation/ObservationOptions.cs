using Microsoft.Extensions.Options;
using Runtime.Observation.Observers;

namespace Runtime.Observation;

/// <summary>Settings of observers and subscriptions (section <c>Runtime:Observation</c>).</summary>
public sealed class ObservationOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Runtime:Observation";

    /// <summary>Time between cycles for observers without their own setting.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Non-empty batches kept per observer, for observers without their own setting.</summary>
    public int HistoryLimit { get; set; } = 64;

    /// <summary>Per-observer overrides, by observer name.</summary>
    public Dictionary<string, ObserverOptions> Observers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>An idle subscription gets a heartbeat after this long.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Live batches buffered per subscriber before it is marked behind and resynchronised.</summary>
    public int SubscriberBufferSize { get; set; } = 64;

    /// <summary>
    /// Where the cycle high-water mark is kept (the service's data directory), so cycles keep increasing across
    /// restarts. The host sets it from <c>Runtime:DataDirectory</c>.
    /// </summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Most runtimes the <c>runtimes</c> observer reads per cycle (keeps a cycle bounded).</summary>
    public int MaxObservedRuntimes { get; set; } = 100_000;

    /// <summary>The settings in force for the observer <paramref name="name"/>.</summary>
    public ObserverSettings SettingsFor(string name) =>
        Observers.TryGetValue(name, out var own)
            ? new ObserverSettings(own.Interval ?? Interval, own.HistoryLimit ?? HistoryLimit)
            : new ObserverSettings(Interval, HistoryLimit);
}

/// <summary>One observer's own settings; unset values fall back to <see cref="ObservationOptions"/>.</summary>
public sealed class ObserverOptions
{
    /// <summary>Time between cycles.</summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>Non-empty batches kept.</summary>
    public int? HistoryLimit { get; set; }
}

/// <summary>Checks <see cref="ObservationOptions"/>: intervals positive, limits in range.</summary>
public sealed class ObservationOptionsValidator : IValidateOptions<ObservationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ObservationOptions options)
    {
        var failures = new List<string>();
        CheckObserver("Runtime:Observation", options.Interval, options.HistoryLimit, failures);
        foreach (var (observer, own) in options.Observers)
        {
            CheckObserver($"Runtime:Observation:Observers:{observer}", own.Interval ?? options.Interval, own.HistoryLimit ?? options.HistoryLimit, failures);
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add($"Runtime:Observation:HeartbeatInterval must be greater than zero (got {options.HeartbeatInterval}).");
        }

        if (options.SubscriberBufferSize < 1)
        {
            failures.Add($"Runtime:Observation:SubscriberBufferSize must be at least 1 (got {options.SubscriberBufferSize}).");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Runtime:Observation:DataDirectory must name a directory.");
        }

        if (options.MaxObservedRuntimes < 1)
        {
            failures.Add($"Runtime:Observation:MaxObservedRuntimes must be at least 1 (got {options.MaxObservedRuntimes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> when <paramref name="options"/> is invalid.</summary>
    public static ObservationOptions Check(ObservationOptions options)
    {
        var result = new ObservationOptionsValidator().Validate(null, options);
        return result.Failed
            ? throw new OptionsValidationException(Options.DefaultName, typeof(ObservationOptions), result.Failures)
            : options;
    }

    private static void CheckObserver(string path, TimeSpan interval, int historyLimit, List<string> failures)
    {
        if (interval <= TimeSpan.Zero)
        {
            failures.Add($"{path}:Interval must be greater than zero (got {interval}).");
        }

        if (historyLimit < 0)
        {
            failures.Add($"{path}:HistoryLimit must not be negative (got {historyLimit}).");
        }
    }
}
