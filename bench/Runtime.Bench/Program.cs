using Runtime.Bench.Scenarios;

var results = Path.Combine("bench", "results");
return args.FirstOrDefault() switch
{
    "fanout" => await FanOut.RunAsync(results),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/Runtime.Bench -- <scenario>");
    Console.WriteLine("scenarios: fanout");
    return 0;
}
