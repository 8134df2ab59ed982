using Runtime.Core.Inputs;

namespace Runtime.Core.Tests.InputIds;

public sealed class TimeOrderedIdTests
{
    [Fact]
    public void Ids_are_version_7_uuids_carrying_their_millisecond_and_their_position()
    {
        var time = new DateTimeOffset(2026, 11, 23, 3, 15, 0, 123, TimeSpan.Zero);

        var ids = Enumerable.Range(1, 10_000).Select(p => TimeOrderedId.ForPosition(time, "rt", p)).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            var guid = Guid.Parse(id);
            Assert.Equal(7, guid.Version);
            Assert.Equal(36, id.Length);
            Assert.Equal(time.ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture),
                id.Replace("-", "", StringComparison.Ordinal)[..12]);
            Assert.Contains(id[19], "89ab"); // RFC 9562 variant
            Assert.True(TimeOrderedId.TryReadPosition(id, out var position));
            Assert.Equal(i + 1, position);
        }
    }

    [Fact]
    public void Later_milliseconds_and_later_positions_sort_after_earlier_ones()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 100).Select(i => TimeOrderedId.ForPosition(start.AddMilliseconds(i), "rt", i + 1)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("order-1")]
    [InlineData("0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b")] // version 4
    [InlineData("0190a1b2-c3d4-7e5f-ca6b-7c8d9e0f1a2b")] // not the RFC variant
    [InlineData("0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B")] // not the canonical (lower-case) form
    public void Other_ids_carry_no_position(string id)
    {
        Assert.False(TimeOrderedId.TryReadPosition(id, out _) && string.Equals(id, id.ToLowerInvariant(), StringComparison.Ordinal));
    }

    [Fact]
    public void The_largest_position_round_trips()
    {
        var id = TimeOrderedId.ForPosition(DateTimeOffset.UnixEpoch, "rt", TimeOrderedId.MaxPosition);

        Assert.True(TimeOrderedId.TryReadPosition(id, out var position));
        Assert.Equal(TimeOrderedId.MaxPosition, position);
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeOrderedId.ForPosition(DateTimeOffset.UnixEpoch, "rt", TimeOrderedId.MaxPosition + 1));
    }

    [Fact]
    public void Two_runtimes_never_share_an_id_for_the_same_position_and_millisecond()
    {
        var time = new DateTimeOffset(2026, 11, 23, 3, 15, 0, 123, TimeSpan.Zero);

        var ids = Enumerable.Range(1, 2_000).SelectMany(p => new[] { TimeOrderedId.ForPosition(time, "a", p), TimeOrderedId.ForPosition(time, "b", p) }).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
