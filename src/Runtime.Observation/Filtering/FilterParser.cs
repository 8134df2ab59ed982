using System.Globalization;
using System.Text;
using Runtime.Core.Errors;

namespace Runtime.Observation.Filtering;

/// <summary>
/// Reads the <c>filter</c> field of Subscribe and WatchRuntimeEvents. For now the language is the part of the
/// analytics expression language that <see cref="RuntimeFilter"/> can answer, so every filter written today keeps
/// its meaning when the full language arrives:
/// <code>
/// filter     = comparison { "and" comparison }
/// comparison = "runtime" ( "==" | "^=" ) string      exact runtime id, or runtime id prefix
///            | "labels." key "==" string             label equality
/// string     = '"' { any character; \" and \\ escape } '"'
/// </code>
/// <c>runtime_id</c> is accepted for <c>runtime</c>. An empty or blank filter matches everything. A malformed filter
/// is INVALID_ARGUMENT on the field, saying where and what was expected.
/// </summary>
public static class FilterParser
{
    /// <summary>Parses <paramref name="text"/>; violations name <paramref name="field"/>.</summary>
    public static RuntimeFilter Parse(string? text, string field = "filter")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return RuntimeFilter.All;
        }

        var reader = new Reader(text, field);
        string? runtimeId = null, prefix = null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        do
        {
            var at = reader.SkipSpace();
            var name = reader.Word("a field (runtime or labels.<key>)");
            if (name is "runtime" or "runtime_id")
            {
                var op = reader.Operator();
                var value = reader.String();
                if (runtimeId is not null || prefix is not null)
                {
                    throw reader.Error(at, "at most one runtime comparison");
                }

                if (op == "==")
                {
                    runtimeId = value;
                }
                else
                {
                    prefix = value;
                }
            }
            else if (name.StartsWith("labels.", StringComparison.Ordinal) && name.Length > "labels.".Length)
            {
                if (reader.Operator() != "==")
                {
                    throw reader.Error(reader.Position - 2, "labels are compared with ==");
                }

                if (!labels.TryAdd(name["labels.".Length..], reader.String()))
                {
                    throw reader.Error(at, $"at most one comparison of {name}");
                }
            }
            else
            {
                throw reader.Error(at, "a field (runtime or labels.<key>)", name);
            }
        }
        while (reader.And());

        reader.End();
        return new RuntimeFilter(prefix, labels, runtimeId);
    }

    /// <summary>A cursor over the text that throws a positioned violation when it does not find what it expects.</summary>
    private sealed class Reader(string text, string field)
    {
        public int Position { get; private set; }

        public string Word(string expected)
        {
            SkipSpace();
            var start = Position;
            while (Position < text.Length && IsWordChar(text[Position]))
            {
                Position++;
            }

            return Position > start ? text[start..Position] : throw Error(start, expected, Found());
        }

        public string Operator()
        {
            SkipSpace();
            foreach (var op in (string[])["==", "^="])
            {
                if (string.CompareOrdinal(text, Position, op, 0, 2) == 0)
                {
                    Position += 2;
                    return op;
                }
            }

            throw Error(Position, "== or ^=", Found());
        }

        public string String()
        {
            SkipSpace();
            if (Position >= text.Length || text[Position] != '"')
            {
                throw Error(Position, "a quoted string", Found());
            }

            var start = Position++;
            var value = new StringBuilder();
            while (Position < text.Length && text[Position] != '"')
            {
                if (text[Position] == '\\' && Position + 1 < text.Length && text[Position + 1] is '"' or '\\')
                {
                    Position++;
                }

                value.Append(text[Position++]);
            }

            if (Position >= text.Length)
            {
                throw Error(start, "a closing \"");
            }

            Position++;
            return value.ToString();
        }

        public bool And()
        {
            SkipSpace();
            if (Position >= text.Length || !IsWordChar(text[Position]))
            {
                return false;
            }

            var at = Position;
            return Word("and") == "and" ? true : throw Error(at, "and, or the end of the filter", text[at..Position]);
        }

        public void End()
        {
            SkipSpace();
            if (Position < text.Length)
            {
                throw Error(Position, "the end of the filter", Found());
            }
        }

        public RuntimeException Error(int at, string expected, string? found = null)
        {
            var description = string.Create(CultureInfo.InvariantCulture, $"at position {at + 1}: expected {expected}")
                + (found is null ? "" : $", found {found}");
            return new RuntimeException(
                ErrorKind.InvalidArgument,
                "INVALID_FILTER",
                $"{field}: {description}",
                new Dictionary<string, string>
                {
                    ["field"] = field,
                    ["position"] = (at + 1).ToString(CultureInfo.InvariantCulture),
                    ["expected"] = expected,
                },
                [new FieldViolation(field, description)]);
        }

        private string Found()
        {
            SkipSpace();
            if (Position >= text.Length)
            {
                return "the end of the filter";
            }

            var length = Math.Min(12, text.Length - Position);
            return $"'{text.Substring(Position, length)}'";
        }

        private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or ':' or '/';

        /// <summary>Skips white space; returns where the next token starts.</summary>
        public int SkipSpace()
        {
            while (Position < text.Length && char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }

            return Position;
        }
    }
}
