namespace Runtime.Transports.Destinations;

/// <summary>How a wire reaches its destination.</summary>
public enum WireKind
{
    /// <summary>Not set; always rejected by validation.</summary>
    Unspecified,

    /// <summary>The destination serves <c>runtime.v1.SinkService.Deliver</c>; address <c>http(s)://host:port</c>.</summary>
    Grpc,

    /// <summary>Binary WebSocket frames, one protobuf message each; address <c>ws(s)://host:port/path</c>.</summary>
    WebSocket,

    /// <summary>One HTTP POST per delivery; address <c>http(s)://host:port/path</c>.</summary>
    Http,

    /// <summary>A sink inside this process, named by the address (for example <c>accept</c>).</summary>
    InProcess,
}
