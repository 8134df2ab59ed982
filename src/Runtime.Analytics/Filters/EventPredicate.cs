using System.Runtime.CompilerServices;
using Runtime.Core.Delivery;
using Runtime.Core.Events;
using Runtime.Core.Inputs;
using Runtime.Core.Runtimes;
using Runtime.Observation.Events;

namespace Runtime.Analytics.Filters;

/// <summary>
/// Compiles a comparison into a predicate over runtime events, for the analytics pump's hot path. Every field is
/// resolved once here (no field-name switch per event), enum fields are answered from a table computed once per enum
/// value (no name formatting per event), and nothing allocates. It gives exactly what
/// <see cref="ComparisonNode.Evaluate"/> gives for the same event.
/// </summary>
internal static class EventPredicate
{
    /// <summary>The predicate equivalent to <paramref name="node"/> for runtime events.</summary>
    public static Func<StreamedEvent, bool> Compile(ComparisonNode node)
    {
        var field = node.Field;
        if (field.LabelKey is { } key)
        {
            return e => e.GetLabel(key) is { } label ? node.MatchText(label) : node.Operator == FilterOperator.NotEqual;
        }

        return field.SourceName switch
        {
            "runtime_id" => Text(node, static e => e.RuntimeId),
            "destination" => Text(node, static e => e.Event.Destination),
            "input_id" => Text(node, static e => e.Event.InputId),
            "run_id" => Text(node, static e => e.Event.RunId),
            "input_kind" => Text(node, static e => e.Event.InputKind),
            "reason" => Text(node, static e => e.Event.Reason),
            "kind" => Symbol<RuntimeEventKind>(node, static e => e.Event.Kind),
            "category" => Symbol<EventCategory>(node, static e => e.Event.Category),
            "to_phase" => Symbol<InputPhase>(node, static e => e.Event.ToPhase),
            "from_phase" => Symbol<InputPhase>(node, static e => e.Event.FromPhase),
            "to_state" => Symbol<RuntimeState>(node, static e => e.Event.ToState),
            "from_state" => Symbol<RuntimeState>(node, static e => e.Event.FromState),
            "payload_type" => Symbol<PayloadType>(node, static e => e.Event.PayloadType),
            "bytes" => e => node.CompareNumber(e.Event.Bytes),
            "attempt" => e => node.CompareNumber(e.Event.Attempt),
            "latency_ms" => e => e.Event.Latency is { } latency
                ? node.CompareNumber(latency.TotalMilliseconds)
                : node.Operator == FilterOperator.NotEqual,

            // A field the language knows but events do not carry: the general path answers it.
            _ => e => node.Evaluate(e),
        };
    }

    private static Func<StreamedEvent, bool> Text(ComparisonNode node, Func<StreamedEvent, string?> read)
    {
        var absent = node.Operator == FilterOperator.NotEqual;
        return e => read(e) is { } text ? node.MatchText(text) : absent;
    }

    private static Func<StreamedEvent, bool> Symbol<T>(ComparisonNode node, Func<StreamedEvent, T?> read)
        where T : struct, Enum
    {
        var outcomes = Outcomes<T>(node);
        var absent = node.Operator == FilterOperator.NotEqual;
        return e => read(e) is { } value ? Outcome(node, outcomes, value) : absent;
    }

    private static Func<StreamedEvent, bool> Symbol<T>(ComparisonNode node, Func<StreamedEvent, T> read)
        where T : struct, Enum
    {
        var outcomes = Outcomes<T>(node);
        return e => Outcome(node, outcomes, read(e));
    }

    /// <summary>For every index from 0 to the largest defined value: 1 match, 0 no match, -1 not a defined value.</summary>
    private static sbyte[] Outcomes<T>(ComparisonNode node)
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        var outcomes = new sbyte[values.Length == 0 ? 0 : values.Max(Index) + 1];
        Array.Fill(outcomes, (sbyte)-1);
        foreach (var value in values)
        {
            outcomes[Index(value)] = node.MatchText(FilterField.Canonical(value.ToString())) ? (sbyte)1 : (sbyte)0;
        }

        return outcomes;
    }

    private static bool Outcome<T>(ComparisonNode node, sbyte[] outcomes, T value)
        where T : struct, Enum
    {
        var index = Index(value);
        var outcome = (uint)index < (uint)outcomes.Length ? outcomes[index] : -1;

        // An undefined value reads as its number: compare that text, as the general path does.
        return outcome < 0 ? node.MatchText(FilterField.Canonical(value.ToString())) : outcome == 1;
    }

    private static int Index<T>(T value)
        where T : struct, Enum => Unsafe.SizeOf<T>() == sizeof(int) ? Unsafe.As<T, int>(ref value) : Convert.ToInt32(value, null);
}
