using Grpc.AspNetCore.Server;

namespace Runtime.Server.Security.Startup;

/// <summary>
/// Fails the start when a mapped gRPC method has no entry in <see cref="MethodAccessTable"/>, so a new service
/// cannot go live with an undeclared scope. Runs while the request pipeline is built, before anything listens.
/// </summary>
public sealed class MethodAccessCoverage(EndpointDataSource endpoints) : IStartupFilter
{
    /// <inheritdoc />
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        var missing = Undeclared(endpoints.Endpoints);
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"gRPC methods without a declared scope in {nameof(MethodAccessTable)}: {string.Join(", ", missing)}");
        }
    };

    /// <summary>The mapped gRPC methods (full names) that the table does not declare.</summary>
    public static IReadOnlyList<string> Undeclared(IEnumerable<Endpoint> endpoints) =>
        endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName.TrimStart('/'))
            .OfType<string>()
            .Where(name => MethodAccessTable.Find(name) is null)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
}
