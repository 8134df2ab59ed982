using System.Globalization;
using Runtime.Bench.Scenarios;

var results = Path.Combine("bench", "results");
return args switch
{
    ["accept", ..] => await Accept.RunAsync(results),
    ["fanout", .. var rest] => await FanOut.RunAsync(results, rest),
    ["fanout-clients", ..] => await FanOutClientHost.RunAsync(),
    ["end-to-end", .. var rest] => await EndToEnd.RunAsync(
        rest is [var s, ..] ? int.Parse(s, CultureInfo.InvariantCulture) : 5,
        rest is [_, var destination, ..] ? destination : "grpc"),
    ["analytics-ingest", .. var rest] => await AnalyticsIngest.RunAsync(results, rest),
    ["idle-runtimes", .. var rest] => await IdleRuntimes.RunAsync(results,
        rest is [var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 100_000),
    ["recovery", .. var rest] => await Recovery.RunAsync(results,
        rest is [var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 1_000),
    ["journal", .. var rest] => await Journal.RunAsync(results,
        rest is [var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 200_000),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/Runtime.Bench -- <scenario>");
    Console.WriteLine("scenarios: accept | fanout [saturated|paced|stalled] [subscribers] | end-to-end [seconds] [grpc|inproc] | analytics-ingest [seconds] [pairs] | " +
                      "idle-runtimes [count] | recovery [runtimes] | journal [inputs]");
    return 0;
}
