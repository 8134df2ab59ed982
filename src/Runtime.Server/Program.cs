using Runtime.Server.Hosting;
using Runtime.Server.Security.ApiKeys;
using Runtime.Server.Security.Startup;

// `apikey ...` manages API keys and exits; anything else runs the server.
if (ApiKeyCommand.IsInvocation(args))
{
    return ApiKeyCommand.Run(args, Console.Out, Console.Error);
}

try
{
    // Composition root: everything is wired in RuntimeServerApp so tests build the very same app.
    await RuntimeServerApp.Build(args).RunAsync();
    return 0;
}
catch (StartupRefusedException refused)
{
    await Console.Error.WriteLineAsync($"Runtime refused to start: {refused.Message}");
    return 1;
}
