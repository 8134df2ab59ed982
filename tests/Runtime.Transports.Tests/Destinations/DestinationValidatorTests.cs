using Runtime.Core.Errors;
using Runtime.Transports.Destinations;
using Runtime.Transports.Wires.InProcess;

namespace Runtime.Transports.Tests.Destinations;

public class DestinationValidatorTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Valid_definition_orders_wires_by_priority_keeping_ties_in_order()
    {
        var definition = DestinationValidator.Validate("orders.v1", [
            new WireDefinition(WireKind.Http, "https://example.test/hook", 5),
            new WireDefinition(WireKind.Grpc, "http://127.0.0.1:6000", 0),
            new WireDefinition(WireKind.WebSocket, "ws://127.0.0.1:6000/ws", 5),
        ], Now);

        Assert.Equal([WireKind.Grpc, WireKind.Http, WireKind.WebSocket], definition.Wires.Select(w => w.Kind));
    }

    [Theory]
    [InlineData(WireKind.Grpc, "ws://127.0.0.1:6000", "a grpc wire needs a http or https address, not 'ws'")]
    [InlineData(WireKind.WebSocket, "http://127.0.0.1:6000/ws", "a websocket wire needs a ws or wss address, not 'http'")]
    [InlineData(WireKind.Http, "ftp://127.0.0.1/x", "a http wire needs a http or https address, not 'ftp'")]
    [InlineData(WireKind.Http, "not a url", "must be an absolute URL with a host")]
    [InlineData(WireKind.Grpc, "http://127.0.0.1:6000/path", "a grpc address is scheme, host and port only (no path or query)")]
    [InlineData(WireKind.Http, "", "must not be empty")]
    [InlineData(WireKind.InProcess, "no such/sink", "an inproc wire names a built-in sink: 1-128 characters of [A-Za-z0-9._:-]")]
    public void Bad_address_is_a_field_violation_on_that_wire(WireKind kind, string address, string description)
    {
        var error = Assert.Throws<RuntimeException>(() => DestinationValidator.Validate("d", [
            new WireDefinition(WireKind.Grpc, "http://127.0.0.1:1"),
            new WireDefinition(kind, address),
        ], Now));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("INVALID_DESTINATION", error.Reason);
        var violation = Assert.Single(error.Violations);
        Assert.Equal("wires[1].address", violation.Field);
        Assert.Equal(description, violation.Description);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var error = Assert.Throws<RuntimeException>(() => DestinationValidator.Validate("bad name!", [
            new WireDefinition(WireKind.Unspecified, "http://127.0.0.1:1"),
            new WireDefinition(WireKind.WebSocket, "ws://h/ws"),
            new WireDefinition(WireKind.WebSocket, "WS://H/ws"),
        ], Now));

        Assert.Equal(["name", "wires[0].kind", "wires[2].address"], error.Violations.Select(v => v.Field));
        Assert.Equal("duplicates wires[1]", error.Violations[2].Description);
        Assert.Equal("name,wires[0].kind,wires[2].address", error.Metadata["fields"]);
    }

    [Fact]
    public void A_destination_needs_a_wire()
    {
        var error = Assert.Throws<RuntimeException>(() => DestinationValidator.Validate("d", [], Now));

        Assert.Equal("wires", Assert.Single(error.Violations).Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("slash/")]
    public void Names_outside_the_alphabet_are_refused(string name) => Assert.False(DestinationValidator.IsValidName(name));

    [Fact]
    public void Names_may_be_128_characters_of_the_alphabet()
    {
        Assert.True(DestinationValidator.IsValidName("A-z_0.9:" + new string('x', 120)));
        Assert.False(DestinationValidator.IsValidName(new string('x', 129)));
    }

    [Fact]
    public void Inproc_wire_must_name_a_known_sink_when_sinks_are_given()
    {
        var sinks = InProcessSinkRegistry.Empty;

        var error = Assert.Throws<RuntimeException>(() =>
            DestinationValidator.Validate("d", [new WireDefinition(WireKind.InProcess, "accept")], Now, sinks));

        Assert.Equal("no in-process sink is named 'accept'", Assert.Single(error.Violations).Description);
    }
}
