namespace Runtime.Server.Hosting;

/// <summary>Settings of the web console's endpoint, bound from <c>Runtime:Console</c>.</summary>
public sealed class ConsoleOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Runtime:Console";

    /// <summary>Where the console listens when nothing else is configured: loopback, HTTP/1.1.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// Serve the console (and gRPC-Web for the browser) on its own HTTP/1.1 endpoint. On by default in single-node
    /// mode. Environment: <c>Runtime__Console__Enabled</c>.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The console's address, with an explicit port distinct from the gRPC port. It falls under the same bind guard
    /// as every other address: beyond loopback it needs authentication and TLS (or the explicit opt-outs).
    /// </summary>
    public string Url { get; set; } = DefaultUrl;
}
