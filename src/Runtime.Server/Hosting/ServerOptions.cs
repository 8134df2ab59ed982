using System.ComponentModel.DataAnnotations;

namespace Runtime.Server.Hosting;

/// <summary>Settings of the server host, bound from the <c>Runtime</c> configuration section.</summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Runtime";

    /// <summary>
    /// Where the durable state lives (SQLite ledger, event sequence). Relative paths are resolved against the
    /// working directory. Environment: <c>Runtime__DataDirectory</c>.
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// How long in-flight calls get to finish on SIGTERM before they are aborted. Open streams are ended at once
    /// with UNAVAILABLE (reason <c>SERVER_SHUTTING_DOWN</c>) so clients reconnect elsewhere or later.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest request or response message, in bytes (gRPC). Default 8 MiB.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The data directory as an absolute path.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);
}
