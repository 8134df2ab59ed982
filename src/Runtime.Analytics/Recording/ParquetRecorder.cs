using System.Globalization;
using Microsoft.Extensions.Options;
using Runtime.Analytics.Pipeline;
using Runtime.Core.Errors;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Recording;

/// <summary>
/// Records the filtered event stream to Parquet files in <c>&lt;DataDirectory&gt;/recordings/</c>, one recording at
/// a time. A requested name is a plain file name (letters, digits, '.', '_', '-'): it cannot leave that folder.
/// Feeding never waits: when the queue is full rows are dropped and counted.
/// </summary>
public sealed class ParquetRecorder(IOptions<AnalyticsOptions> options, TimeProvider time) : IAnalyticsConsumer, IAsyncDisposable
{
    /// <summary>The folder under the data directory that holds recordings.</summary>
    public const string FolderName = "recordings";

    /// <summary>Longest file name accepted.</summary>
    public const int MaxNameLength = 128;

    private readonly SemaphoreSlim _control = new(1, 1);
    private readonly AnalyticsOptions _options = options.Value;
    private RecordingSession? _active;
    private RecordingSession? _last;

    /// <summary>The folder recordings are written to (absolute).</summary>
    public string Folder { get; } = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, FolderName));

    /// <summary>Tests hold the writers back with this to fill a queue deterministically.</summary>
    internal Task WriterGate { get; set; } = Task.CompletedTask;

    /// <summary>Records one event when a recording runs.</summary>
    public void Observe(StreamedEvent streamed, long filterEpoch) => Observe(new ReadOnlySpan<StreamedEvent>(in streamed), filterEpoch);

    /// <inheritdoc />
    public void Observe(ReadOnlySpan<StreamedEvent> events, long filterEpoch) => Volatile.Read(ref _active)?.Enqueue(events, filterEpoch);

    /// <summary>
    /// Starts recording to <paramref name="name"/> (a file name; ".parquet" is added when missing; empty: a name from
    /// the time). FAILED_PRECONDITION RECORDING_ACTIVE while one runs; ALREADY_EXISTS RECORDING_EXISTS when the file
    /// exists; INVALID_ARGUMENT on <c>name</c> for anything but a plain file name.
    /// </summary>
    public async Task<RecordingStatus> StartAsync(string? name, CancellationToken cancellationToken = default)
    {
        var path = Resolve(name);
        await _control.WaitAsync(cancellationToken);
        try
        {
            if (_active is not null)
            {
                throw Fail.Precondition(
                    "RECORDING_ACTIVE", $"a recording is already running to {_active.Status(true).Path}", ("path", _active.Status(true).Path));
            }

            Directory.CreateDirectory(Folder);
            if (File.Exists(path))
            {
                throw Fail.AlreadyExists("RECORDING_EXISTS", $"the recording {path} already exists", ("path", path));
            }

            var session = await RecordingSession.StartAsync(
                path, new RecordingSession.Limits(_options.RecordingQueueCapacity, _options.RecordingBatchSize, _options.RecordingFlushInterval), time, WriterGate);
            Volatile.Write(ref _active, session);
            _last = session;
            return session.Status(active: true);
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>Stops the recording, flushing and closing a valid file; returns its final status (the last one when none runs).</summary>
    public async Task<RecordingStatus> StopAsync(CancellationToken cancellationToken = default)
    {
        await _control.WaitAsync(cancellationToken);
        try
        {
            var session = Interlocked.Exchange(ref _active, null);
            if (session is null)
            {
                return _last?.Status(active: false) ?? RecordingStatus.None;
            }

            await session.StopAsync(time.GetUtcNow());
            return session.Status(active: false);
        }
        finally
        {
            _control.Release();
        }
    }

    /// <summary>The current recording's status, or the last one's.</summary>
    public RecordingStatus GetStatus()
    {
        var active = Volatile.Read(ref _active);
        return active?.Status(active: true) ?? _last?.Status(active: false) ?? RecordingStatus.None;
    }

    /// <summary>Stops a running recording so its file is complete.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _control.Dispose();
    }

    private string Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            name = "recording-" + time.GetUtcNow().ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
        }

        new Validator()
            .Require(name.Length <= MaxNameLength, "name", $"at most {MaxNameLength} characters")
            .Require(
                name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && name[0] != '.',
                "name",
                "a plain file name: letters, digits, '.', '_' and '-', not starting with '.'")
            .ThrowIfInvalid("INVALID_RECORDING_NAME");
        if (!name.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            name += ".parquet";
        }

        // Belt and braces: the resolved path must sit directly in the recordings folder.
        var path = Path.GetFullPath(Path.Combine(Folder, name));
        if (!string.Equals(Path.GetDirectoryName(path), Folder, StringComparison.Ordinal))
        {
            throw Fail.InvalidField("name", "must stay inside the recordings folder", "INVALID_RECORDING_NAME");
        }

        return path;
    }
}
