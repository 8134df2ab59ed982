using Runtime.Bench.Scenarios;

return args.FirstOrDefault() switch
{
    "analytics-ingest" => await AnalyticsIngest.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/Runtime.Bench -- <scenario>   (scenarios: analytics-ingest)");
    return 0;
}
