namespace Runtime.Transports.Wires;

/// <summary>Turns transport exceptions into the one-line errors shown as a wire's last error.</summary>
internal static class WireErrors
{
    /// <summary>"<paramref name="what"/>: innermost message".</summary>
    public static string Describe(string what, Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == exception || string.IsNullOrEmpty(inner.Message)
            ? $"{what}: {exception.Message}"
            : $"{what}: {exception.Message} ({inner.Message})";
    }
}
