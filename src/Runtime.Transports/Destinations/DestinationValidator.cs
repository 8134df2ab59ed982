using System.Text.RegularExpressions;
using Runtime.Core.Errors;
using Runtime.Transports.Wires.InProcess;

namespace Runtime.Transports.Destinations;

/// <summary>
/// Checks a destination definition and reports every bad field at once (INVALID_ARGUMENT, reason
/// <c>INVALID_DESTINATION</c>, field paths such as <c>wires[0].address</c>).
/// </summary>
public static partial class DestinationValidator
{
    /// <summary>Most wires one destination may have.</summary>
    public const int MaxWires = 16;

    /// <summary>Longest wire address, in characters (so a destination always fits an answer).</summary>
    public const int MaxAddressLength = 2048;

    /// <summary>The reason of every validation failure of a destination.</summary>
    public const string InvalidReason = "INVALID_DESTINATION";

    /// <summary>Validates a name and wires and returns the definition with its wires ordered by priority.</summary>
    /// <param name="name">The destination's name.</param>
    /// <param name="wires">Its wires, in any order.</param>
    /// <param name="createTime">The creation time to record.</param>
    /// <param name="inProcessSinks">When given, in-process wires must name a sink it has.</param>
    public static DestinationDefinition Validate(
        string name,
        IReadOnlyList<WireDefinition> wires,
        DateTimeOffset createTime,
        IInProcessSinks? inProcessSinks = null)
    {
        var validator = new Validator();
        RequireName(validator, name, "name");
        validator.Require(wires.Count > 0, "wires", "a destination needs at least one wire");
        validator.Require(wires.Count <= MaxWires, "wires", $"a destination has at most {MaxWires} wires");

        for (var i = 0; i < wires.Count; i++)
        {
            var wire = wires[i];
            var error = AddressError(wire, inProcessSinks);
            if (wire.Kind == WireKind.Unspecified || !Enum.IsDefined(wire.Kind))
            {
                validator.Add($"wires[{i}].kind", "must be one of grpc, websocket, http, inproc");
            }
            else if (error is not null)
            {
                validator.Add($"wires[{i}].address", error);
            }
            else
            {
                var first = FindEarlierDuplicate(wires, i);
                validator.Require(first < 0, $"wires[{i}].address", $"duplicates wires[{first}]");
            }
        }

        validator.ThrowIfInvalid(InvalidReason);
        return new DestinationDefinition(name, [.. wires.OrderBy(w => w.Priority)], createTime);
    }

    /// <summary>Records a violation of <paramref name="field"/> unless <paramref name="name"/> is a valid name.</summary>
    public static void RequireName(Validator validator, string name, string field) =>
        validator.Require(IsValidName(name), field, "must be 1-128 characters of [A-Za-z0-9._:-]");

    /// <summary>Whether <paramref name="name"/> is 1-128 characters of <c>[A-Za-z0-9._:-]</c>.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Throws INVALID_ARGUMENT (field <c>name</c>) unless <paramref name="name"/> is a valid name.</summary>
    public static void ThrowIfInvalidName(string name)
    {
        var validator = new Validator();
        RequireName(validator, name, "name");
        validator.ThrowIfInvalid(InvalidReason);
    }

    private static string? AddressError(WireDefinition wire, IInProcessSinks? sinks)
    {
        if (string.IsNullOrWhiteSpace(wire.Address))
        {
            return "must not be empty";
        }

        if (wire.Address.Length > MaxAddressLength)
        {
            return $"must be at most {MaxAddressLength} characters";
        }

        if (wire.Kind == WireKind.InProcess)
        {
            if (!IsValidName(wire.Address))
            {
                return "an inproc wire names a built-in sink: 1-128 characters of [A-Za-z0-9._:-]";
            }

            return sinks is null || sinks.TryGet(wire.Address, out _) ? null : $"no in-process sink is named '{wire.Address}'";
        }

        if (!Uri.TryCreate(wire.Address, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return "must be an absolute URL with a host";
        }

        if (!string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not carry a fragment or user information";
        }

        string[] schemes = wire.Kind switch
        {
            WireKind.Grpc or WireKind.Http => ["http", "https"],
            WireKind.WebSocket => ["ws", "wss"],
            _ => [],
        };
        if (!schemes.Contains(uri.Scheme, StringComparer.Ordinal))
        {
            return $"a {KindName(wire.Kind)} wire needs a {string.Join(" or ", schemes)} address, not '{uri.Scheme}'";
        }

        if (wire.Kind == WireKind.Grpc && (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query)))
        {
            return "a grpc address is scheme, host and port only (no path or query)";
        }

        return null;
    }

    private static int FindEarlierDuplicate(IReadOnlyList<WireDefinition> wires, int index)
    {
        for (var j = 0; j < index; j++)
        {
            if (wires[j].Kind == wires[index].Kind &&
                string.Equals(wires[j].Address, wires[index].Address, StringComparison.OrdinalIgnoreCase))
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>The lower-case name operators use for a wire kind (<c>grpc</c>, <c>websocket</c>, ...).</summary>
    public static string KindName(WireKind kind) => kind switch
    {
        WireKind.Grpc => "grpc",
        WireKind.WebSocket => "websocket",
        WireKind.Http => "http",
        WireKind.InProcess => "inproc",
        _ => "unspecified",
    };

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex NamePattern();
}
