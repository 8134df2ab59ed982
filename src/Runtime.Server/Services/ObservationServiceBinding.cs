using Google.Protobuf;
using Grpc.Core;
using Runtime.Contracts.V1;

namespace Runtime.Server.Services;

/// <summary>
/// Binds <c>runtime.v1.ObservationService</c> the way the generated code does, except that Subscribe writes
/// <see cref="EncodedMessage"/>s: each batch is serialised once for all of its subscribers. The wire format, the
/// method names and server reflection (it reads <see cref="Descriptor"/>) are those of the contract.
/// </summary>
public static class ObservationServiceBinding
{
    private static readonly Method<ListObserversRequest, ListObserversResponse> ListObserversMethod =
        Unary("ListObservers", ListObserversRequest.Parser, ListObserversResponse.Parser);

    private static readonly Method<GetSnapshotRequest, GetSnapshotResponse> GetSnapshotMethod =
        Unary("GetSnapshot", GetSnapshotRequest.Parser, GetSnapshotResponse.Parser);

    private static readonly Method<GetHistoryRequest, GetHistoryResponse> GetHistoryMethod =
        Unary("GetHistory", GetHistoryRequest.Parser, GetHistoryResponse.Parser);

    private static readonly Method<SubscribeRequest, EncodedMessage> SubscribeMethod =
        ContractMethods.EncodedStream(ObservationService.Descriptor, "Subscribe", SubscribeRequest.Parser);

    /// <summary>The contract's service descriptor.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => ObservationService.Descriptor;

    /// <summary>Registers the four methods (ASP.NET Core passes a null <paramref name="service"/> and resolves it per call).</summary>
    public static void Bind(ServiceBinderBase binder, ServiceBase? service)
    {
        binder.AddMethod(ListObserversMethod, service is null ? null : service.ListObservers);
        binder.AddMethod(GetSnapshotMethod, service is null ? null : service.GetSnapshot);
        binder.AddMethod(GetHistoryMethod, service is null ? null : service.GetHistory);
        binder.AddMethod(SubscribeMethod, service is null ? null : service.Subscribe);
    }

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(
        string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        ContractMethods.Unary(ObservationService.Descriptor, name, request, response);

    /// <summary>The base class of the ObservationService implementation.</summary>
    [BindServiceMethod(typeof(ObservationServiceBinding), nameof(Bind))]
    public abstract class ServiceBase
    {
        /// <summary>Lists the observers with their cycle, history, last failure and subscriptions.</summary>
        public abstract Task<ListObserversResponse> ListObservers(ListObserversRequest request, ServerCallContext context);

        /// <summary>Reads an observer's latest good snapshot.</summary>
        public abstract Task<GetSnapshotResponse> GetSnapshot(GetSnapshotRequest request, ServerCallContext context);

        /// <summary>Reads the batches an observer still holds after a cycle.</summary>
        public abstract Task<GetHistoryResponse> GetHistory(GetHistoryRequest request, ServerCallContext context);

        /// <summary>Streams snapshots, batches, gaps, failures and heartbeats, each pre-encoded as a SubscribeResponse.</summary>
        public abstract Task Subscribe(SubscribeRequest request, IServerStreamWriter<EncodedMessage> responseStream, ServerCallContext context);
    }
}
