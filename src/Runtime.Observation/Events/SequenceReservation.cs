using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Runtime.Core.Errors;

namespace Runtime.Observation.Events;

/// <summary>
/// Keeps a sequence (event sequences, observer cycles) monotonic across restarts. The file holds the first number
/// not yet reserved: numbers are handed out only below it, so after a crash the next process starts there and never
/// reuses one. Blocks are reserved ahead in the background so callers almost never wait for the disk; a graceful
/// close writes the exact next number so a clean restart leaves no hole.
/// </summary>
internal sealed class SequenceReservation
{
    private readonly string _path;
    private readonly long _blockSize;
    private readonly ILogger _logger;
    private long _ceiling;
    private Task? _extension;

    /// <summary>Reads the high-water mark in <paramref name="fileName"/> and durably reserves the first block.</summary>
    public SequenceReservation(string directory, string fileName, long blockSize, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, fileName);
        _blockSize = blockSize;
        _logger = logger;
        FirstSequence = ReadFloor(_path);
        Persist(FirstSequence + blockSize);
    }

    /// <summary>The first sequence this process hands out.</summary>
    public long FirstSequence { get; }

    /// <summary>The first sequence not yet durably reserved.</summary>
    public long Ceiling => Volatile.Read(ref _ceiling);

    /// <summary>
    /// Makes sure <paramref name="sequence"/> is durably reserved. Called under the publisher's lock, one caller at a
    /// time. Returns false only when the disk refuses the reservation (the event must then be dropped).
    /// </summary>
    public bool TryCover(long sequence)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var ceiling = Volatile.Read(ref _ceiling);
            if (sequence < ceiling - (_blockSize / 2))
            {
                return true;
            }

            if (_extension is null || _extension.IsCompleted)
            {
                var target = Math.Max(ceiling, sequence + 1) + _blockSize;
                _extension = Task.Run(() => Persist(target));
            }

            if (sequence < Volatile.Read(ref _ceiling))
            {
                return true;
            }

            // The publishers outran the disk by half a block: wait for the reservation (rare by design).
            try
            {
                _extension.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogError(ex, "Could not reserve event sequences in {Path} (attempt {Attempt})", _path, attempt + 1);
            }
        }

        return sequence < Volatile.Read(ref _ceiling);
    }

    /// <summary>Records the exact next sequence on a graceful shutdown (after the last publish).</summary>
    public void Close(long nextSequence)
    {
        try
        {
            _extension?.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "A background sequence reservation failed before shutdown");
        }

        try
        {
            Persist(nextSequence);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not fatal: the reserved ceiling is already on disk, so the next run skips ahead instead of continuing.
            _logger.LogWarning(ex, "Could not record the exact next sequence in {Path}; the next run starts at the reserved ceiling", _path);
        }
    }

    private static long ReadFloor(string path)
    {
        if (!File.Exists(path))
        {
            return 1;
        }

        var text = File.ReadAllText(path, Encoding.ASCII).Trim();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var floor) || floor < 1)
        {
            throw new RuntimeException(
                ErrorKind.Internal,
                "SEQUENCE_FILE_CORRUPT",
                $"The sequence file {path} does not hold a positive number; refusing to risk reusing sequences.",
                new Dictionary<string, string> { ["path"] = path });
        }

        return floor;
    }

    /// <summary>Atomically replaces the file: write a temporary file, flush it to disk, rename it over the old one.</summary>
    private void Persist(long ceiling)
    {
        var temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.ASCII.GetBytes(ceiling.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        Volatile.Write(ref _ceiling, ceiling);
    }
}
