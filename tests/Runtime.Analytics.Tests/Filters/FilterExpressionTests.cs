using Runtime.Analytics.Filters;
using Runtime.Core.Errors;
using Runtime.Core.Inputs;

namespace Runtime.Analytics.Tests.Filters;

public sealed class FilterExpressionTests
{
    private static readonly Runtime.Observation.Events.StreamedEvent Consumed = Events.Input(
        1, "orders-1", InputPhase.Consumed, bytes: 100, latency: TimeSpan.FromMilliseconds(75), destination: "sink-a",
        labels: new Dictionary<string, string> { ["tenant"] = "a" }, attempt: 2);

    [Theory]
    [InlineData("", true)]
    [InlineData("runtime == \"orders-1\"", true)]
    [InlineData("runtime == \"orders-2\"", false)]
    [InlineData("runtime != \"orders-2\"", true)]
    [InlineData("runtime ^= \"orders-\"", true)]
    [InlineData("runtime ^= \"billing-\"", false)]
    [InlineData("latency_ms > 50", true)]
    [InlineData("latency_ms >= 75", true)]
    [InlineData("latency_ms < 75", false)]
    [InlineData("latency_ms <= 75.0", true)]
    [InlineData("bytes == 100", true)]
    [InlineData("attempt in (1, 2)", true)]
    [InlineData("phase in (CONSUMED, ABANDONED)", true)]
    [InlineData("phase in (QUEUED, ABANDONED)", false)]
    [InlineData("phase == consumed", true)]
    [InlineData("kind == INPUT_TRANSITIONED", true)]
    [InlineData("payload_type == RPC_RELIABLE", true)]
    [InlineData("labels.tenant == \"a\"", true)]
    [InlineData("labels.tenant == \"b\"", false)]
    [InlineData("labels.missing != \"b\"", true)]
    [InlineData("labels.missing == \"b\"", false)]
    [InlineData("destination == \"sink-a\" and not phase == ABANDONED", true)]
    [InlineData("runtime == \"x\" or labels.tenant == \"a\"", true)]
    [InlineData("runtime == \"x\" or runtime == \"y\" and bytes > 0", false)]
    [InlineData("(runtime == \"x\" or runtime == \"orders-1\") and bytes > 0", true)]
    [InlineData("not (latency_ms > 50)", false)]
    [InlineData("run == \"r\"", false)]
    public void Documented_forms_parse_and_match(string text, bool expected)
    {
        var filter = FilterExpression.Parse(text);

        Assert.Equal(expected, filter.Matches(Consumed));
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        var filter = FilterExpression.Parse("runtime == \"orders-1\" or runtime == \"x\" and bytes > 1000");

        Assert.IsType<OrNode>(filter.Root);
        Assert.True(filter.Matches(Consumed));
    }

    [Fact]
    public void Absent_latency_matches_only_not_equal()
    {
        var accepted = Events.Input(2, "orders-1", InputPhase.Accepted);

        Assert.False(FilterExpression.Parse("latency_ms > 0").Matches(accepted));
        Assert.False(FilterExpression.Parse("latency_ms < 1000").Matches(accepted));
        Assert.True(FilterExpression.Parse("latency_ms != 0").Matches(accepted));
    }

    [Theory]
    [InlineData("runtime = \"a\"", 9, "an operator")]
    [InlineData("runtim == \"a\"", 1, "a field")]
    [InlineData("runtime == \"a", 12, "a closing \"")]
    [InlineData("runtime == \"a\" and", 19, "a field")]
    [InlineData("(runtime == \"a\"", 16, ")")]
    [InlineData("latency_ms > fast", 14, "a number for latency_ms")]
    [InlineData("runtime > \"a\"", 9, "==, !=, ^= or in")]
    [InlineData("bytes ^= 1", 7, "==, !=, <, <=, >, >= or in")]
    [InlineData("phase in CONSUMED", 10, "(")]
    [InlineData("runtime == \"a\" xor", 16, "and, or, ) or the end")]
    [InlineData("runtime ==", 11, "a value")]
    public void Malformed_filters_say_where_and_what_was_expected(string text, int position, string expected)
    {
        var error = Assert.Throws<RuntimeException>(() => FilterExpression.Parse(text));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("INVALID_FILTER", error.Reason);
        Assert.Equal("filter", error.Metadata["field"]);
        Assert.Equal(position.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Metadata["position"]);
        Assert.StartsWith(expected, error.Metadata["expected"], StringComparison.Ordinal);
        Assert.Equal("filter", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void Deep_nesting_is_a_positioned_error_not_a_crash()
    {
        var text = new string('(', 10_000) + "runtime == \"a\"" + new string(')', 10_000);

        var error = Assert.Throws<RuntimeException>(() => FilterExpression.Parse(text));

        Assert.Equal("INVALID_FILTER", error.Reason);
    }

    [Fact]
    public void Random_strings_give_a_valid_filter_or_a_positioned_error()
    {
        var random = new Random(6);
        string[] pieces =
        [
            "runtime", "latency_ms", "labels.t", "phase", "bytes", "==", "!=", "^=", "<", "<=", ">", ">=", "in", "and",
            "or", "not", "(", ")", ",", "\"", "\"a\"", "12", "-3.5", "CONSUMED", " ", "  ", "\\", "é", "\0", "=", "labels.",
        ];
        var parsed = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => random.Next(4) == 0
                ? ((char)random.Next(1, 128)).ToString()
                : pieces[random.Next(pieces.Length)] + (random.Next(2) == 0 ? " " : "")));
            try
            {
                var filter = FilterExpression.Parse(text);
                filter.Matches(Consumed);
                parsed++;
            }
            catch (RuntimeException error)
            {
                Assert.Equal("INVALID_FILTER", error.Reason);
                var position = int.Parse(error.Metadata["position"], System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(position, 1, text.Length + 1);
                Assert.False(string.IsNullOrEmpty(error.Metadata["expected"]));
            }
        }

        Assert.True(parsed > 0);
    }

    [Fact]
    public void Setting_the_server_filter_bumps_the_epoch_and_a_bad_filter_changes_nothing()
    {
        var serverFilter = new ServerFilter(TimeProvider.System);

        var first = serverFilter.Set("runtime ^= \"orders-\"");
        Assert.Throws<RuntimeException>(() => serverFilter.Set("runtime ^="));
        var second = serverFilter.Set("");

        Assert.Equal(1, first.Epoch);
        Assert.Equal(2, second.Epoch);
        Assert.True(second.Expression.MatchesAll);
        Assert.Equal(second, serverFilter.Current);
    }
}
