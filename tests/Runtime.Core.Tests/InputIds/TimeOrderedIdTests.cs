using Runtime.Core.Inputs;

namespace Runtime.Core.Tests.InputIds;

public sealed class TimeOrderedIdTests
{
    [Fact]
    public void Ids_are_version_7_uuids_carrying_their_millisecond_and_unique()
    {
        var time = new DateTimeOffset(2026, 11, 23, 3, 15, 0, 123, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 10_000).Select(_ => TimeOrderedId.New(time)).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id =>
        {
            var guid = Guid.Parse(id);
            Assert.Equal(7, guid.Version);
            Assert.Equal(36, id.Length);
            Assert.Equal(time.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture),
                id.Replace("-", "", StringComparison.Ordinal)[..12]);
            Assert.Contains(id[19], "89ab"); // RFC 9562 variant
        });
    }

    [Fact]
    public void Later_milliseconds_sort_after_earlier_ones()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 100).Select(i => TimeOrderedId.New(start.AddMilliseconds(i))).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }
}
