using Runtime.Server.Hosting;

// Composition root: everything is wired in RuntimeServerApp so tests build the very same app.
await RuntimeServerApp.Build(args).RunAsync();
