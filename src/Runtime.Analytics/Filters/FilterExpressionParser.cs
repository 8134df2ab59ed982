using System.Globalization;
using System.Text;
using Runtime.Core.Errors;

namespace Runtime.Analytics.Filters;

/// <summary>
/// Parses the filter expression language (recursive descent). The grammar, in EBNF:
/// <code>
/// filter     = [ or ] ;
/// or         = and { "or" and } ;
/// and        = unary { "and" unary } ;
/// unary      = "not" unary | "(" or ")" | comparison ;
/// comparison = field ( operator value | "in" "(" value { "," value } ")" ) ;
/// operator   = "==" | "!=" | "^=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" ;
/// field      = name | "labels." key ;
/// value      = string | number | word ;
/// </code>
/// Keywords are lower case. A malformed expression is INVALID_ARGUMENT (reason INVALID_FILTER) naming the field, the
/// 1-based position and what was expected.
/// </summary>
public static class FilterExpressionParser
{
    /// <summary>Deepest nesting of parentheses and <c>not</c> accepted (keeps the parser's stack bounded).</summary>
    public const int MaxDepth = 64;

    /// <summary>Longest expression accepted, in characters.</summary>
    public const int MaxLength = 4096;

    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="field"/>.</summary>
    public static FilterExpression Parse(string? text, string field = "filter")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return FilterExpression.All;
        }

        var parser = new Parser(text, field);
        if (text.Length > MaxLength)
        {
            throw parser.Error(MaxLength, $"at most {MaxLength} characters");
        }

        var root = parser.Or(0);
        parser.Skip();
        if (!parser.AtEnd)
        {
            throw parser.Error(parser.Position, "and, or, ) or the end of the filter", parser.Found());
        }

        return new FilterExpression(text.Trim(), root);
    }

    private sealed class Parser(string text, string field)
    {
        private static readonly string[] Operators = ["==", "!=", "^=", "<=", ">=", "<", ">"];

        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public FilterNode Or(int depth)
        {
            var left = And(depth);
            while (Keyword("or"))
            {
                left = new OrNode(left, And(depth));
            }

            return left;
        }

        public void Skip()
        {
            while (Position < text.Length && char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }
        }

        public string Found()
        {
            Skip();
            return AtEnd ? "the end of the filter" : $"'{text.Substring(Position, Math.Min(12, text.Length - Position))}'";
        }

        public RuntimeException Error(int at, string expected, string? found = null)
        {
            var position = (at + 1).ToString(CultureInfo.InvariantCulture);
            var description = $"at position {position}: expected {expected}" + (found is null ? "" : $", found {found}");
            return new RuntimeException(
                ErrorKind.InvalidArgument,
                "INVALID_FILTER",
                $"{field}: {description}",
                new Dictionary<string, string> { ["field"] = field, ["position"] = position, ["expected"] = expected },
                [new FieldViolation(field, description)]);
        }

        private FilterNode And(int depth)
        {
            var left = Unary(depth);
            while (Keyword("and"))
            {
                left = new AndNode(left, Unary(depth));
            }

            return left;
        }

        private FilterNode Unary(int depth)
        {
            Skip();
            if (depth >= MaxDepth)
            {
                throw Error(Position, $"at most {MaxDepth} levels of nesting");
            }

            if (Keyword("not"))
            {
                return new NotNode(Unary(depth + 1));
            }

            if (Symbol("("))
            {
                var inner = Or(depth + 1);
                Expect(")");
                return inner;
            }

            return Comparison();
        }

        private ComparisonNode Comparison()
        {
            Skip();
            var at = Position;
            var name = Word();
            var fieldInfo = name is null ? null : FilterField.Find(name);
            if (fieldInfo is null)
            {
                throw Error(at, "a field (" + string.Join(", ", FilterField.Names.Order(StringComparer.Ordinal)) + " or labels.<key>)", Found());
            }

            Skip();
            if (Keyword("in"))
            {
                Expect("(");
                var values = new List<string> { Value(fieldInfo) };
                while (Symbol(","))
                {
                    values.Add(Value(fieldInfo));
                }

                Expect(")");
                return new ComparisonNode(fieldInfo, FilterOperator.In, values);
            }

            var opAt = Position;
            var op = Operators.FirstOrDefault(o => string.CompareOrdinal(text, Position, o, 0, o.Length) == 0)
                ?? throw Error(Position, "an operator (==, !=, ^=, <, <=, >, >= or in)", Found());
            Position += op.Length;
            var kind = op switch
            {
                "==" => FilterOperator.Equal,
                "!=" => FilterOperator.NotEqual,
                "^=" => FilterOperator.StartsWith,
                "<" => FilterOperator.Less,
                "<=" => FilterOperator.LessOrEqual,
                ">" => FilterOperator.Greater,
                _ => FilterOperator.GreaterOrEqual,
            };
            if (fieldInfo.Type == FilterFieldType.Number && kind == FilterOperator.StartsWith)
            {
                throw Error(opAt, $"==, !=, <, <=, >, >= or in for the number field {name}", "^=");
            }

            if (fieldInfo.Type != FilterFieldType.Number && kind is FilterOperator.Less or FilterOperator.LessOrEqual
                    or FilterOperator.Greater or FilterOperator.GreaterOrEqual)
            {
                throw Error(opAt, $"==, !=, ^= or in for the text field {name}", op);
            }

            return new ComparisonNode(fieldInfo, kind, [Value(fieldInfo)]);
        }

        private string Value(FilterField fieldInfo)
        {
            Skip();
            var at = Position;
            string? value;
            if (!AtEnd && text[Position] == '"')
            {
                value = QuotedString();
            }
            else if (!AtEnd && (char.IsAsciiDigit(text[Position]) || text[Position] is '-' or '+'))
            {
                Position++;
                while (!AtEnd && (char.IsAsciiLetterOrDigit(text[Position]) || text[Position] is '.' or '-' or '+'))
                {
                    Position++;
                }

                value = text[at..Position];
            }
            else
            {
                value = Word();
            }

            if (value is null)
            {
                throw Error(at, "a value (a quoted string, a number or a word)", Found());
            }

            if (fieldInfo.Type == FilterFieldType.Number
                && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                throw Error(at, $"a number for {fieldInfo.Name}", $"'{value}'");
            }

            return value;
        }

        private string QuotedString()
        {
            var start = Position++;
            var value = new StringBuilder();
            while (!AtEnd && text[Position] != '"')
            {
                if (text[Position] == '\\' && Position + 1 < text.Length && text[Position + 1] is '"' or '\\')
                {
                    Position++;
                }

                value.Append(text[Position++]);
            }

            if (AtEnd)
            {
                throw Error(start, "a closing \" for the string that starts here");
            }

            Position++;
            return value.ToString();
        }

        /// <summary>Reads a name: a letter or underscore, then letters, digits, '_', '.', ':', '-'.</summary>
        private string? Word()
        {
            Skip();
            if (AtEnd || !(char.IsAsciiLetter(text[Position]) || text[Position] == '_'))
            {
                return null;
            }

            var start = Position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(text[Position]) || text[Position] is '_' or '.' or ':' or '-'))
            {
                Position++;
            }

            return text[start..Position];
        }

        /// <summary>Consumes <paramref name="keyword"/> when it comes next as a whole word.</summary>
        private bool Keyword(string keyword)
        {
            Skip();
            var end = Position + keyword.Length;
            if (string.CompareOrdinal(text, Position, keyword, 0, keyword.Length) != 0
                || (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '_' or '.' or ':' or '-')))
            {
                return false;
            }

            Position = end;
            return true;
        }

        private bool Symbol(string symbol)
        {
            Skip();
            if (string.CompareOrdinal(text, Position, symbol, 0, symbol.Length) != 0)
            {
                return false;
            }

            Position += symbol.Length;
            return true;
        }

        private void Expect(string symbol)
        {
            if (!Symbol(symbol))
            {
                throw Error(Position, symbol, Found());
            }
        }
    }
}
