using Grpc.Core;
using Runtime.Contracts.V1;
using Runtime.Server.Mapping;
using Runtime.Server.Services.Paging;
using Runtime.Transports.Destinations;

namespace Runtime.Server.Services;

/// <summary>
/// TransportService: destinations and their wires. Only maps proto ⇄ domain; validation and errors are the catalog's
/// (<see cref="Core.Errors.RuntimeException"/>s, turned into google.rpc.Status by the error interceptor).
/// </summary>
/// <param name="catalog">The transport manager's catalog.</param>
/// <param name="budget">Cuts pages to the message limit.</param>
public sealed class TransportGrpcService(IDestinationCatalog catalog, PageBudget budget) : TransportService.TransportServiceBase
{
    /// <inheritdoc />
    public override async Task<CreateDestinationResponse> CreateDestination(CreateDestinationRequest request, ServerCallContext context)
    {
        var created = await catalog.CreateDestinationAsync(request.Name, TransportMapping.ToDomain(request.Wires), context.CancellationToken);
        return new CreateDestinationResponse { Destination = TransportMapping.ToProto(created) };
    }

    /// <inheritdoc />
    public override async Task<GetDestinationResponse> GetDestination(GetDestinationRequest request, ServerCallContext context) =>
        new() { Destination = TransportMapping.ToProto(await catalog.GetDestinationAsync(request.Name, context.CancellationToken)) };

    /// <inheritdoc />
    public override async Task<ListDestinationsResponse> ListDestinations(ListDestinationsRequest request, ServerCallContext context)
    {
        // Sizes beyond int range are simply "too large": the catalog refuses them with a field violation.
        var pageSize = (int)Math.Min(request.PageSize, int.MaxValue);
        return await budget.FitAsync(pageSize, async size =>
        {
            var page = await catalog.ListDestinationsAsync(size, request.PageToken, context.CancellationToken);
            var response = new ListDestinationsResponse { NextPageToken = page.NextPageToken };
            response.Destinations.AddRange(page.Destinations.Select(TransportMapping.ToProto));
            return response;
        }, r => r.Destinations);
    }

    /// <inheritdoc />
    public override async Task<CloseDestinationResponse> CloseDestination(CloseDestinationRequest request, ServerCallContext context)
    {
        var closed = await catalog.CloseDestinationAsync(request.Name, context.CancellationToken);
        return new CloseDestinationResponse
        {
            Destination = TransportMapping.ToProto(closed.Destination),
            ConnectionsClosed = (uint)Math.Max(0, closed.ConnectionsClosed),
        };
    }

    /// <inheritdoc />
    public override async Task<DeleteDestinationResponse> DeleteDestination(DeleteDestinationRequest request, ServerCallContext context)
    {
        await catalog.DeleteDestinationAsync(request.Name, context.CancellationToken);
        return new DeleteDestinationResponse { Name = request.Name };
    }
}
