using Google.Protobuf;
using Grpc.Core;
using Runtime.Contracts.V1;

namespace Runtime.Server.Services;

/// <summary>
/// Binds <c>runtime.v1.RuntimeControlPlaneService</c> the way the generated code does, except that WatchRuntimeEvents
/// writes <see cref="EncodedMessage"/>s composed from each event's bytes, encoded once for all watchers (the same
/// pattern as <see cref="ObservationServiceBinding"/>). The wire format, the method names and server reflection are
/// those of the contract.
/// </summary>
public static class RuntimeControlPlaneServiceBinding
{
    private static readonly Method<CreateRuntimeRequest, CreateRuntimeResponse> CreateRuntimeMethod =
        Unary("CreateRuntime", CreateRuntimeRequest.Parser, CreateRuntimeResponse.Parser);

    private static readonly Method<GetRuntimeRequest, GetRuntimeResponse> GetRuntimeMethod =
        Unary("GetRuntime", GetRuntimeRequest.Parser, GetRuntimeResponse.Parser);

    private static readonly Method<ListRuntimesRequest, ListRuntimesResponse> ListRuntimesMethod =
        Unary("ListRuntimes", ListRuntimesRequest.Parser, ListRuntimesResponse.Parser);

    private static readonly Method<RetireRuntimeRequest, RetireRuntimeResponse> RetireRuntimeMethod =
        Unary("RetireRuntime", RetireRuntimeRequest.Parser, RetireRuntimeResponse.Parser);

    private static readonly Method<RecycleRuntimeRequest, RecycleRuntimeResponse> RecycleRuntimeMethod =
        Unary("RecycleRuntime", RecycleRuntimeRequest.Parser, RecycleRuntimeResponse.Parser);

    private static readonly Method<ResetRuntimeRequest, ResetRuntimeResponse> ResetRuntimeMethod =
        Unary("ResetRuntime", ResetRuntimeRequest.Parser, ResetRuntimeResponse.Parser);

    private static readonly Method<RecoverRuntimeRequest, RecoverRuntimeResponse> RecoverRuntimeMethod =
        Unary("RecoverRuntime", RecoverRuntimeRequest.Parser, RecoverRuntimeResponse.Parser);

    private static readonly Method<DestroyRuntimeRequest, DestroyRuntimeResponse> DestroyRuntimeMethod =
        Unary("DestroyRuntime", DestroyRuntimeRequest.Parser, DestroyRuntimeResponse.Parser);

    private static readonly Method<GetBoundaryReceiptRequest, GetBoundaryReceiptResponse> GetBoundaryReceiptMethod =
        Unary("GetBoundaryReceipt", GetBoundaryReceiptRequest.Parser, GetBoundaryReceiptResponse.Parser);

    private static readonly Method<PublishEventRequest, PublishEventResponse> PublishEventMethod =
        Unary("PublishEvent", PublishEventRequest.Parser, PublishEventResponse.Parser);

    private static readonly Method<WatchRuntimeEventsRequest, EncodedMessage> WatchRuntimeEventsMethod =
        ContractMethods.EncodedStream(RuntimeControlPlaneService.Descriptor, "WatchRuntimeEvents", WatchRuntimeEventsRequest.Parser);

    /// <summary>The contract's service descriptor.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => RuntimeControlPlaneService.Descriptor;

    /// <summary>Registers the methods (ASP.NET Core passes a null <paramref name="service"/> and resolves it per call).</summary>
    public static void Bind(ServiceBinderBase binder, ServiceBase? service)
    {
        binder.AddMethod(CreateRuntimeMethod, service is null ? null : service.CreateRuntime);
        binder.AddMethod(GetRuntimeMethod, service is null ? null : service.GetRuntime);
        binder.AddMethod(ListRuntimesMethod, service is null ? null : service.ListRuntimes);
        binder.AddMethod(RetireRuntimeMethod, service is null ? null : service.RetireRuntime);
        binder.AddMethod(RecycleRuntimeMethod, service is null ? null : service.RecycleRuntime);
        binder.AddMethod(ResetRuntimeMethod, service is null ? null : service.ResetRuntime);
        binder.AddMethod(RecoverRuntimeMethod, service is null ? null : service.RecoverRuntime);
        binder.AddMethod(DestroyRuntimeMethod, service is null ? null : service.DestroyRuntime);
        binder.AddMethod(GetBoundaryReceiptMethod, service is null ? null : service.GetBoundaryReceipt);
        binder.AddMethod(PublishEventMethod, service is null ? null : service.PublishEvent);
        binder.AddMethod(WatchRuntimeEventsMethod, service is null ? null : service.WatchRuntimeEvents);
    }

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(
        string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        ContractMethods.Unary(RuntimeControlPlaneService.Descriptor, name, request, response);

    /// <summary>The base class of the RuntimeControlPlaneService implementation.</summary>
    [BindServiceMethod(typeof(RuntimeControlPlaneServiceBinding), nameof(Bind))]
    public abstract class ServiceBase
    {
        /// <summary>Creates a runtime (or returns the identical one that exists).</summary>
        public abstract Task<CreateRuntimeResponse> CreateRuntime(CreateRuntimeRequest request, ServerCallContext context);

        /// <summary>Reads a runtime.</summary>
        public abstract Task<GetRuntimeResponse> GetRuntime(GetRuntimeRequest request, ServerCallContext context);

        /// <summary>Lists runtimes, filtered and paged.</summary>
        public abstract Task<ListRuntimesResponse> ListRuntimes(ListRuntimesRequest request, ServerCallContext context);

        /// <summary>Retires a runtime.</summary>
        public abstract Task<RetireRuntimeResponse> RetireRuntime(RetireRuntimeRequest request, ServerCallContext context);

        /// <summary>Recycles a runtime.</summary>
        public abstract Task<RecycleRuntimeResponse> RecycleRuntime(RecycleRuntimeRequest request, ServerCallContext context);

        /// <summary>Resets a runtime.</summary>
        public abstract Task<ResetRuntimeResponse> ResetRuntime(ResetRuntimeRequest request, ServerCallContext context);

        /// <summary>Recovers a runtime.</summary>
        public abstract Task<RecoverRuntimeResponse> RecoverRuntime(RecoverRuntimeRequest request, ServerCallContext context);

        /// <summary>Destroys a runtime.</summary>
        public abstract Task<DestroyRuntimeResponse> DestroyRuntime(DestroyRuntimeRequest request, ServerCallContext context);

        /// <summary>Reads a run's boundary receipt.</summary>
        public abstract Task<GetBoundaryReceiptResponse> GetBoundaryReceipt(GetBoundaryReceiptRequest request, ServerCallContext context);

        /// <summary>Publishes an external event into the runtime event stream.</summary>
        public abstract Task<PublishEventResponse> PublishEvent(PublishEventRequest request, ServerCallContext context);

        /// <summary>Streams runtime events, gaps and heartbeats, each pre-encoded as a WatchRuntimeEventsResponse.</summary>
        public abstract Task WatchRuntimeEvents(
            WatchRuntimeEventsRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context);
    }
}
