using System.Text.Json;
using System.Text.Json.Serialization;
using Runtime.Core.Storage;
using Runtime.Transports.Destinations;

namespace Runtime.Transports.Storage;

/// <summary>
/// Destination definitions as documents of the ledger's store (collection <c>destinations</c>, keyed by name), so the
/// ledger's one writer commits them and nothing else writes its file. A document is
/// <c>{"wires": [{"Kind": "Grpc", "Address": ..., "Priority": ...}], "createTime": unix ms}</c>.
/// </summary>
public sealed class DocumentDestinationStore(IDocumentStore documents) : IDestinationStore
{
    /// <summary>The collection the definitions are kept in.</summary>
    public const string Collection = "destinations";

    /// <inheritdoc />
    public async Task<IReadOnlyList<DestinationDefinition>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var stored = await documents.ReadAllAsync(Collection, cancellationToken);
        return [.. stored.Select(d => Read(d.Key, d.Value))];
    }

    /// <inheritdoc />
    public Task UpsertAsync(DestinationDefinition definition, CancellationToken cancellationToken) =>
        documents.WriteAsync(Collection, definition.Name, JsonSerializer.Serialize(new StoredDestination(
            [.. definition.Wires.Select(w => new StoredWire(w.Kind, w.Address, w.Priority))],
            definition.CreateTime.ToUnixTimeMilliseconds())), cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        documents.WriteAsync(Collection, name, null, cancellationToken);

    private static DestinationDefinition Read(string name, string document)
    {
        var stored = JsonSerializer.Deserialize<StoredDestination>(document)
                     ?? throw new InvalidDataException($"Destination '{name}' is stored as null.");
        return new DestinationDefinition(
            name,
            [.. stored.Wires.Select(w => new WireDefinition(w.Kind, w.Address, w.Priority))],
            DateTimeOffset.FromUnixTimeMilliseconds(stored.CreateTime));
    }

    private sealed record StoredDestination(
        [property: JsonPropertyName("wires")] IReadOnlyList<StoredWire> Wires,
        [property: JsonPropertyName("createTime")] long CreateTime);

    private sealed record StoredWire(
        [property: JsonConverter(typeof(JsonStringEnumConverter<WireKind>))] WireKind Kind,
        string Address,
        int Priority);
}
