using System.Globalization;
using Runtime.Bench.Scenarios;

return args switch
{
    ["end-to-end", .. var rest] => await EndToEnd.RunAsync(
        rest is [var s, ..] ? int.Parse(s, CultureInfo.InvariantCulture) : 5,
        rest is [_, var destination, ..] ? destination : "grpc"),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/Runtime.Bench -- <scenario>  (scenarios: end-to-end [seconds] [grpc|inproc])");
    return 0;
}
