using Google.Protobuf;
using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Hostile;

/// <summary>
/// Answers never exceed the message limit (8 MiB by default): pages and stream batches are cut by bytes as well as
/// count, and each item is bounded when it is written. Everything here stays within the documented maxima.
/// </summary>
public sealed class AnswerSizeTests(LoopbackServer server) : IClassFixture<LoopbackServer>
{
    private const int MaxMessageBytes = 8 * 1024 * 1024;

    private RuntimeControlPlaneService.RuntimeControlPlaneServiceClient Control => new(server.Channel);

    [Fact]
    public async Task ListInputs_after_inputs_with_large_headers_pages_by_bytes_and_loses_nothing()
    {
        await Control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "headers-rt", Destination = "" });
        var driver = new RuntimeDriverService.RuntimeDriverServiceClient(server.Channel);
        var ids = new HashSet<string>();
        for (var i = 0; i < 100; i++)
        {
            var input = new Input { Kind = "k", Payload = ByteString.CopyFromUtf8("x") };
            for (var h = 0; h < 16; h++)
            {
                input.Headers[$"h{h}"] = new string((char)('a' + (h % 26)), 8 * 1024);
            }

            ids.Add((await driver.AcceptInputAsync(new AcceptInputRequest { RuntimeId = "headers-rt", Input = input })).InputId);
        }

        var seen = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await driver.ListInputsAsync(new ListInputsRequest { RuntimeId = "headers-rt", PageSize = 100, PageToken = token });
            Assert.True(page.CalculateSize() <= MaxMessageBytes, $"a page of {page.CalculateSize()} bytes");
            seen.AddRange(page.Inputs.Select(i => i.InputId));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);

        Assert.True(pages > 1);
        Assert.Equal(ids.Order(), seen.Order());
    }

    [Fact]
    public async Task ListDestinations_with_long_wire_addresses_pages_by_bytes_and_an_overlong_address_is_refused()
    {
        var transports = new TransportService.TransportServiceClient(server.Channel);
        var path = new string('p', 1900);
        for (var d = 0; d < 300; d++)
        {
            var request = new CreateDestinationRequest { Name = $"long-{d:D3}" };
            for (var w = 0; w < 16; w++)
            {
                request.Wires.Add(new Wire { Kind = WireKind.Http, Address = $"http://127.0.0.1:9/{w}/{path}", Priority = w });
            }

            await transports.CreateDestinationAsync(request);
        }

        var names = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await transports.ListDestinationsAsync(new ListDestinationsRequest { PageSize = 1000, PageToken = token });
            Assert.True(page.CalculateSize() <= MaxMessageBytes, $"a page of {page.CalculateSize()} bytes");
            names.AddRange(page.Destinations.Select(d => d.Name).Where(n => n.StartsWith("long-", StringComparison.Ordinal)));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);

        Assert.True(pages > 1);
        Assert.Equal(300, names.Distinct().Count());
        var refused = await Assert.ThrowsAsync<RpcException>(() => transports.CreateDestinationAsync(new CreateDestinationRequest
        {
            Name = "too-long",
            Wires = { new Wire { Kind = WireKind.Http, Address = $"http://127.0.0.1:9/{new string('p', 3000)}" } },
        }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
    }

    [Fact]
    public async Task A_replay_of_large_custom_events_comes_in_messages_within_the_limit()
    {
        await Control.CreateRuntimeAsync(new CreateRuntimeRequest { RuntimeId = "events-rt" });
        for (var e = 0; e < 20; e++)
        {
            var custom = new CustomEvent { Name = $"big-{e}" };
            for (var a = 0; a < 64; a++)
            {
                custom.Attributes[$"a{a}"] = new string('v', 8 * 1024);
            }

            await Control.PublishEventAsync(new PublishEventRequest { RuntimeId = "events-rt", Custom = custom });
        }

        using var call = Control.WatchRuntimeEvents(new WatchRuntimeEventsRequest
        {
            RuntimeIds = { "events-rt" },
            Kinds = { RuntimeEventKind.Published },
            AfterSequence = 0,
            MaxEvents = 20,
        });
        var events = 0;
        var messages = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            Assert.True(call.ResponseStream.Current.CalculateSize() <= MaxMessageBytes);
            events += call.ResponseStream.Current.Events?.Events.Count ?? 0;
            messages++;
        }

        Assert.Equal(20, events);
        Assert.True(messages > 1);

        var tooMany = new CustomEvent { Name = "too-many" };
        for (var a = 0; a < 200; a++)
        {
            tooMany.Attributes[$"a{a}"] = "v";
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            Control.PublishEventAsync(new PublishEventRequest { RuntimeId = "events-rt", Custom = tooMany }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
    }
}
