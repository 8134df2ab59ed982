using System.Globalization;
using Runtime.Bench.Scenarios;

var results = Path.Combine("bench", "results");
return args switch
{
    ["accept", ..] => await Accept.RunAsync(results),
    ["fanout", ..] => await FanOut.RunAsync(results),
    ["fanout-clients", var address, var count, var stalled] => await FanOutClientProcess.ServeAsync(
        address, int.Parse(count, CultureInfo.InvariantCulture), stalled == "stalled"),
    ["end-to-end", .. var rest] => await EndToEnd.RunAsync(
        rest is [var s, ..] ? int.Parse(s, CultureInfo.InvariantCulture) : 5,
        rest is [_, var destination, ..] ? destination : "grpc"),
    ["analytics-ingest", .. var rest] => await AnalyticsIngest.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/Runtime.Bench -- <scenario>");
    Console.WriteLine("scenarios: accept | fanout | end-to-end [seconds] [grpc|inproc] | analytics-ingest");
    return 0;
}
