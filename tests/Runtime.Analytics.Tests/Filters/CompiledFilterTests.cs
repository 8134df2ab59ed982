using Runtime.Analytics.Filters;
using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Tests.Filters;

/// <summary>Runtime events take a compiled path through a filter: it must answer exactly as the expression tree does.</summary>
public sealed class CompiledFilterTests
{
    private static readonly StreamedEvent[] Samples =
    [
        Events.Input(1, "orders-1", InputPhase.Consumed, bytes: 100, latency: TimeSpan.FromMilliseconds(75), destination: "sink-a",
            labels: new Dictionary<string, string> { ["tenant"] = "a" }, attempt: 2),
        Events.Input(2, "orders-2", InputPhase.Accepted),
        Events.Input(3, "billing-1", InputPhase.Abandoned, bytes: 0, destination: "sink-b"),
        Events.Run(4, "orders-1", completed: true, TimeSpan.FromMilliseconds(3)),
        Events.Run(5, "billing-1", completed: false, TimeSpan.FromMilliseconds(900)),
        new(6, new RuntimeEvent
        {
            Kind = RuntimeEventKind.RuntimeStateChanged, Time = Events.Start, RuntimeId = "orders-1",
            FromState = RuntimeState.Initializing, ToState = RuntimeState.Running, Reason = "ready",
        }),
        new(7, new RuntimeEvent
        {
            Kind = RuntimeEventKind.TransportChanged, Time = Events.Start, Destination = "sink-a",
            Attributes = new Dictionary<string, string> { ["tenant"] = "b", ["wire"] = "w1" },
        }),
        new(8, new RuntimeEvent
        {
            Kind = RuntimeEventKind.InputTransitioned, Time = Events.Start, RuntimeId = "orders-3", InputKind = "bench",
            FromPhase = InputPhase.Queued, ToPhase = (InputPhase)42, PayloadType = PayloadType.RpcReliable,
        }),
    ];

    private static readonly string[] Comparisons =
    [
        "runtime == \"orders-1\"", "runtime != \"orders-1\"", "runtime ^= \"orders-\"", "runtime in (\"billing-1\", \"orders-2\")",
        "destination == \"sink-a\"", "destination != \"sink-b\"", "input ^= \"in-\"", "run == \"run-4\"", "input_kind == \"bench\"",
        "reason == \"ready\"", "kind == RUN_COMPLETED", "kind in (RUN_FAILED, RUNTIME_STATE_CHANGED)", "category == TRANSPORT",
        "category != INPUT_LIFECYCLE", "phase == CONSUMED", "phase != consumed", "phase in (ABANDONED, ACCEPTED)", "phase == 42",
        "phase ^= \"4\"", "from_phase == QUEUED", "state == RUNNING", "from_state != INITIALIZING", "payload_type == RPC_RELIABLE",
        "payload_type != rpcreliable", "bytes > 10", "bytes == 0", "bytes != 100", "attempt in (1, 2)", "attempt >= 2",
        "latency_ms > 50", "latency_ms <= 3", "latency_ms != 3", "labels.tenant == \"a\"", "labels.tenant != \"a\"",
        "labels.wire ^= \"w\"", "labels.missing in (\"x\")",
    ];

    [Fact]
    public void Every_comparison_answers_as_the_tree_does_on_every_kind_of_event()
    {
        foreach (var text in Comparisons)
        {
            AssertSameAnswers(text);
        }
    }

    [Fact]
    public void Random_combinations_answer_as_the_tree_does()
    {
        var random = new Random(11);
        for (var i = 0; i < 2_000; i++)
        {
            AssertSameAnswers(Combination(random, depth: 0));
        }
    }

    private static string Combination(Random random, int depth) => random.Next(depth > 3 ? 1 : 4) switch
    {
        0 => Comparisons[random.Next(Comparisons.Length)],
        1 => $"({Combination(random, depth + 1)}) and ({Combination(random, depth + 1)})",
        2 => $"({Combination(random, depth + 1)}) or ({Combination(random, depth + 1)})",
        _ => $"not ({Combination(random, depth + 1)})",
    };

    private static void AssertSameAnswers(string text)
    {
        var filter = FilterExpression.Parse(text);
        foreach (var sample in Samples)
        {
            Assert.True(filter.Root!.Evaluate(sample) == filter.Matches(sample), $"'{text}' on event {sample.Sequence}");
        }
    }
}
