using Runtime.Core.Errors;
using Runtime.Observation.Filtering;
using Runtime.Observation.Tests.Support;

namespace Runtime.Observation.Tests.Filtering;

public sealed class FilterParserTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void An_empty_filter_matches_everything(string? text) => Assert.True(FilterParser.Parse(text).MatchesAll);

    [Fact]
    public void Runtime_prefix_exact_id_and_labels_combine_with_and()
    {
        var prefix = FilterParser.Parse("""runtime ^= "orders-" and labels.tenant == "a" and labels.app.kubernetes.io/name == "x y" """);
        var exact = FilterParser.Parse("""runtime_id == "orders-1" """);

        Assert.Equal("orders-", prefix.RuntimeIdPrefix);
        Assert.Equal(2, prefix.Labels.Count);
        Assert.True(prefix.Matches(Item("orders-7", ("tenant", "a"), ("app.kubernetes.io/name", "x y"))));
        Assert.False(prefix.Matches(Item("orders-7", ("tenant", "b"), ("app.kubernetes.io/name", "x y"))));
        Assert.False(prefix.Matches(Item("billing-1", ("tenant", "a"), ("app.kubernetes.io/name", "x y"))));
        Assert.True(exact.Matches(Item("orders-1")));
        Assert.False(exact.Matches(Item("orders-10")));
    }

    [Fact]
    public void Quotes_and_backslashes_can_be_escaped()
    {
        var filter = FilterParser.Parse("""labels.note == "say \"hi\" \\ bye" """);

        Assert.Equal("say \"hi\" \\ bye", filter.Labels[0].Value);
    }

    [Theory]
    [InlineData("runtime", 8, "== or ^=")]
    [InlineData("runtime == orders", 12, "a quoted string")]
    [InlineData("runtime == \"a", 12, "a closing \"")]
    [InlineData("phase == \"QUEUED\"", 1, "a field")]
    [InlineData("labels.a ^= \"x\"", 10, "labels are compared with ==")]
    [InlineData("runtime == \"a\" or labels.b == \"c\"", 16, "and, or the end")]
    [InlineData("runtime == \"a\" and runtime ^= \"b\"", 20, "at most one runtime comparison")]
    [InlineData("runtime == \"a\" )", 16, "the end of the filter")]
    public void A_malformed_filter_is_invalid_argument_saying_where_and_what_was_expected(string text, int position, string expected)
    {
        var error = Assert.Throws<RuntimeException>(() => FilterParser.Parse(text, "filter"));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("INVALID_FILTER", error.Reason);
        var violation = Assert.Single(error.Violations);
        Assert.Equal("filter", violation.Field);
        Assert.Contains($"at position {position}: expected {expected}", violation.Description, StringComparison.Ordinal);
        Assert.Equal(position.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Metadata["position"]);
    }

    private static TestEvent Item(string runtimeId, params (string Key, string Value)[] labels) =>
        new("e") { RuntimeId = runtimeId, Labels = labels.ToDictionary(l => l.Key, l => l.Value) };
}
