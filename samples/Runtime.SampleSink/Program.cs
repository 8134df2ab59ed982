using Runtime.SampleSink;

// A destination to deliver to, e.g. `dotnet run --project samples/Runtime.SampleSink -- --urls http://127.0.0.1:6000`.
await SampleSinkApp.Build(args).RunAsync();
