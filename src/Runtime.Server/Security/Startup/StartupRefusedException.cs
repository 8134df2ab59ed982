namespace Runtime.Server.Security.Startup;

/// <summary>The configuration is unsafe to serve; <c>Program</c> prints the message and exits non-zero.</summary>
public sealed class StartupRefusedException(string message) : Exception(message);
