using System.Collections.Frozen;

namespace Runtime.Server.Security;

/// <summary>
/// The one place that says what every gRPC method needs: full method name (<c>package.Service/Method</c>) to exactly
/// one <see cref="Access"/>. The server refuses to start if it maps a method missing here, and a test checks that
/// every method of every runtime.v1 service descriptor is listed.
/// </summary>
public static class MethodAccessTable
{
    /// <summary>Every method and what it needs.</summary>
    public static FrozenDictionary<string, Access> Methods { get; } = new Dictionary<string, Access>(StringComparer.Ordinal)
    {
        // Health answers load balancers and orchestrators, which carry no credentials.
        ["grpc.health.v1.Health/Check"] = Access.Anonymous,
        ["grpc.health.v1.Health/Watch"] = Access.Anonymous,
        ["grpc.health.v1.Health/List"] = Access.Anonymous,
        // Reflection reveals the API's shape, not data: any valid credential.
        ["grpc.reflection.v1.ServerReflection/ServerReflectionInfo"] = Access.Authenticated,
        ["grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"] = Access.Authenticated,

        // The data plane: producers push inputs and follow them up, so its reads are ingest too.
        ["runtime.v1.RuntimeDriverService/AcceptInput"] = Access.Ingest,
        ["runtime.v1.RuntimeDriverService/AcceptInputStream"] = Access.Ingest,
        ["runtime.v1.RuntimeDriverService/GetInputState"] = Access.Ingest,
        ["runtime.v1.RuntimeDriverService/ListInputs"] = Access.Ingest,
        ["runtime.v1.RuntimeDriverService/GetRuntimeState"] = Access.Ingest,

        ["runtime.v1.RuntimeControlPlaneService/CreateRuntime"] = Access.Admin,
        ["runtime.v1.RuntimeControlPlaneService/GetRuntime"] = Access.Observe,
        ["runtime.v1.RuntimeControlPlaneService/ListRuntimes"] = Access.Observe,
        ["runtime.v1.RuntimeControlPlaneService/RetireRuntime"] = Access.Admin,
        ["runtime.v1.RuntimeControlPlaneService/RecycleRuntime"] = Access.Admin,
        ["runtime.v1.RuntimeControlPlaneService/ResetRuntime"] = Access.Admin,
        ["runtime.v1.RuntimeControlPlaneService/RecoverRuntime"] = Access.Admin,
        ["runtime.v1.RuntimeControlPlaneService/DestroyRuntime"] = Access.Admin,
        ["runtime.v1.RuntimeControlPlaneService/GetBoundaryReceipt"] = Access.Observe,
        ["runtime.v1.RuntimeControlPlaneService/PublishEvent"] = Access.Admin,
        ["runtime.v1.RuntimeControlPlaneService/WatchRuntimeEvents"] = Access.Observe,

        ["runtime.v1.TransportService/CreateDestination"] = Access.Admin,
        ["runtime.v1.TransportService/GetDestination"] = Access.Observe,
        ["runtime.v1.TransportService/ListDestinations"] = Access.Observe,
        ["runtime.v1.TransportService/CloseDestination"] = Access.Admin,
        ["runtime.v1.TransportService/DeleteDestination"] = Access.Admin,

        ["runtime.v1.ObservationService/ListObservers"] = Access.Observe,
        ["runtime.v1.ObservationService/GetSnapshot"] = Access.Observe,
        ["runtime.v1.ObservationService/GetHistory"] = Access.Observe,
        ["runtime.v1.ObservationService/Subscribe"] = Access.Observe,

        ["runtime.v1.AnalyticsService/GetStats"] = Access.Observe,
        ["runtime.v1.AnalyticsService/GetTrie"] = Access.Observe,
        ["runtime.v1.AnalyticsService/ConfigureTrie"] = Access.Admin,
        ["runtime.v1.AnalyticsService/ResetTrie"] = Access.Admin,
        ["runtime.v1.AnalyticsService/GetFilter"] = Access.Observe,
        ["runtime.v1.AnalyticsService/SetFilter"] = Access.Admin,
        ["runtime.v1.AnalyticsService/ListProbes"] = Access.Observe,
        ["runtime.v1.AnalyticsService/SetProbe"] = Access.Admin,
        ["runtime.v1.AnalyticsService/StartRecording"] = Access.Admin,
        ["runtime.v1.AnalyticsService/StopRecording"] = Access.Admin,
        ["runtime.v1.AnalyticsService/GetRecordingStatus"] = Access.Observe,

        ["runtime.v1.AccessService/CreateApiKey"] = Access.Admin,
        ["runtime.v1.AccessService/ListApiKeys"] = Access.Admin,
        ["runtime.v1.AccessService/RevokeApiKey"] = Access.Admin,
        ["runtime.v1.AccessService/WhoAmI"] = Access.Authenticated,

        // Served by destinations, not by this server; listed so that serving it here would be admin-only.
        ["runtime.v1.SinkService/Deliver"] = Access.Admin,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Methods that submit inputs: each input costs one token of the caller's ingest rate bucket
    /// (<see cref="IngestRateOptions"/>).
    /// </summary>
    public static FrozenSet<string> RateLimitedIngest { get; } = new[]
    {
        "runtime.v1.RuntimeDriverService/AcceptInput",
        "runtime.v1.RuntimeDriverService/AcceptInputStream",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>What a method needs, or null when it is not declared (a startup error for mapped methods).</summary>
    public static Access? Find(string fullMethodName) =>
        Methods.TryGetValue(fullMethodName, out var access) ? access : null;
}
