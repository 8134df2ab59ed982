using System.Collections.Concurrent;
using System.Globalization;
using Runtime.Observation.Events;
using Runtime.Observation.Filtering;

namespace Runtime.Analytics.Filters;

/// <summary>A node of a parsed filter expression.</summary>
public abstract record FilterNode
{
    /// <summary>True when <paramref name="item"/> satisfies this node.</summary>
    public abstract bool Evaluate(IFilterable item);

    /// <summary>The same test as a predicate over runtime events, with every field resolved once (the pump's hot path).</summary>
    internal abstract Func<StreamedEvent, bool> Compile();
}

/// <summary>Both sides hold.</summary>
public sealed record AndNode(FilterNode Left, FilterNode Right) : FilterNode
{
    /// <inheritdoc />
    public override bool Evaluate(IFilterable item) => Left.Evaluate(item) && Right.Evaluate(item);

    /// <inheritdoc />
    internal override Func<StreamedEvent, bool> Compile()
    {
        var (left, right) = (Left.Compile(), Right.Compile());
        return e => left(e) && right(e);
    }
}

/// <summary>Either side holds.</summary>
public sealed record OrNode(FilterNode Left, FilterNode Right) : FilterNode
{
    /// <inheritdoc />
    public override bool Evaluate(IFilterable item) => Left.Evaluate(item) || Right.Evaluate(item);

    /// <inheritdoc />
    internal override Func<StreamedEvent, bool> Compile()
    {
        var (left, right) = (Left.Compile(), Right.Compile());
        return e => left(e) || right(e);
    }
}

/// <summary>The operand does not hold.</summary>
public sealed record NotNode(FilterNode Operand) : FilterNode
{
    /// <inheritdoc />
    public override bool Evaluate(IFilterable item) => !Operand.Evaluate(item);

    /// <inheritdoc />
    internal override Func<StreamedEvent, bool> Compile()
    {
        var operand = Operand.Compile();
        return e => !operand(e);
    }
}

/// <summary>The comparison operators.</summary>
public enum FilterOperator
{
    /// <summary><c>==</c></summary>
    Equal,

    /// <summary><c>!=</c> (also true when the field is absent)</summary>
    NotEqual,

    /// <summary><c>^=</c>: starts with</summary>
    StartsWith,

    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,

    /// <summary><c>in (a, b, ...)</c></summary>
    In,
}

/// <summary>A field compared with one or more literal values. Absent fields satisfy only <c>!=</c>.</summary>
public sealed record ComparisonNode : FilterNode
{
    // Symbols are enum names, a small closed set: each name's outcome is computed once, so evaluating a symbol
    // comparison costs a dictionary lookup instead of canonicalising (two string allocations) every time.
    private const int MaxCachedSymbols = 256;
    private readonly ConcurrentDictionary<string, bool> _symbolOutcomes = new(StringComparer.Ordinal);
    private readonly string[] _texts;
    private readonly double[] _numbers;

    /// <summary>Creates a comparison; numbers must parse when the field is numeric (the parser checks).</summary>
    public ComparisonNode(FilterField field, FilterOperator op, IReadOnlyList<string> values)
    {
        Field = field;
        Operator = op;
        Values = values;
        _texts = field.Type == FilterFieldType.Symbol ? [.. values.Select(FilterField.Canonical)] : [.. values];
        _numbers = field.Type == FilterFieldType.Number
            ? [.. values.Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))]
            : [];
    }

    /// <summary>The field compared.</summary>
    public FilterField Field { get; }

    /// <summary>How it is compared.</summary>
    public FilterOperator Operator { get; }

    /// <summary>The literal values, as written.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <inheritdoc />
    public override bool Evaluate(IFilterable item)
    {
        if (Field.Type == FilterFieldType.Number)
        {
            return Field.ReadNumber(item) is { } number ? CompareNumber(number) : Operator == FilterOperator.NotEqual;
        }

        var text = Field.ReadText(item);
        if (text is null)
        {
            return Operator == FilterOperator.NotEqual;
        }

        return Field.Type == FilterFieldType.Symbol ? MatchSymbol(text) : MatchText(text);
    }

    /// <inheritdoc />
    internal override Func<StreamedEvent, bool> Compile() => EventPredicate.Compile(this);

    private bool MatchSymbol(string symbol)
    {
        if (_symbolOutcomes.TryGetValue(symbol, out var known))
        {
            return known;
        }

        var outcome = MatchText(FilterField.Canonical(symbol));
        if (_symbolOutcomes.Count < MaxCachedSymbols)
        {
            _symbolOutcomes.TryAdd(symbol, outcome);
        }

        return outcome;
    }

    /// <summary>Compares a text (or a canonical symbol) with the values.</summary>
    internal bool MatchText(string text) => Operator switch
    {
        FilterOperator.Equal => string.Equals(text, _texts[0], StringComparison.Ordinal),
        FilterOperator.NotEqual => !string.Equals(text, _texts[0], StringComparison.Ordinal),
        FilterOperator.StartsWith => text.StartsWith(_texts[0], StringComparison.Ordinal),
        FilterOperator.In => Array.IndexOf(_texts, text) >= 0,
        _ => false, // ordering is only parsed for numbers
    };

    /// <summary>Compares a number with the values.</summary>
    internal bool CompareNumber(double number) => Operator switch
    {
        FilterOperator.Equal => number == _numbers[0],
        FilterOperator.NotEqual => number != _numbers[0],
        FilterOperator.Less => number < _numbers[0],
        FilterOperator.LessOrEqual => number <= _numbers[0],
        FilterOperator.Greater => number > _numbers[0],
        FilterOperator.GreaterOrEqual => number >= _numbers[0],
        FilterOperator.In => Array.IndexOf(_numbers, number) >= 0,
        _ => false, // ^= is not parsed for numbers
    };
}
