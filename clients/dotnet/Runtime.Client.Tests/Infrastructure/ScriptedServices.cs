using System.Collections.Concurrent;
using Grpc.Core;
using Runtime.Contracts.V1;

namespace Runtime.Client.Tests.Infrastructure;

/// <summary>A control plane whose WatchRuntimeEvents and CreateRuntime answers are scripted by the test.</summary>
public sealed class ScriptedControlPlane : RuntimeControlPlaneService.RuntimeControlPlaneServiceBase
{
    /// <summary>The scripted WatchRuntimeEvents calls.</summary>
    public ScriptedCalls<WatchRuntimeEventsRequest, WatchRuntimeEventsResponse> Watch { get; } = new();

    /// <summary>What CreateRuntime throws; it answers normally when null.</summary>
    public RpcException? CreateRuntimeError { get; set; }

    /// <inheritdoc />
    public override Task WatchRuntimeEvents(
        WatchRuntimeEventsRequest request, IServerStreamWriter<WatchRuntimeEventsResponse> responseStream, ServerCallContext context) =>
        Watch.HandleAsync(request, responseStream, context);

    /// <inheritdoc />
    public override Task<CreateRuntimeResponse> CreateRuntime(CreateRuntimeRequest request, ServerCallContext context) =>
        CreateRuntimeError is { } error
            ? throw error
            : Task.FromResult(new CreateRuntimeResponse { Created = true, Runtime = new Contracts.V1.Runtime { RuntimeId = request.RuntimeId } });
}

/// <summary>An observation service whose Subscribe answers are scripted by the test.</summary>
public sealed class ScriptedObservation : ObservationService.ObservationServiceBase
{
    /// <summary>The scripted Subscribe calls.</summary>
    public ScriptedCalls<SubscribeRequest, SubscribeResponse> Subscriptions { get; } = new();

    /// <inheritdoc />
    public override Task Subscribe(SubscribeRequest request, IServerStreamWriter<SubscribeResponse> responseStream, ServerCallContext context) =>
        Subscriptions.HandleAsync(request, responseStream, context);
}

/// <summary>A data plane whose GetInputState answers come from a queue of phases the test controls.</summary>
public sealed class ScriptedDriver : RuntimeDriverService.RuntimeDriverServiceBase
{
    private readonly ConcurrentQueue<InputPhase> _phases = new();
    private InputPhase _current = InputPhase.Queued;
    private int _reads;

    /// <summary>How many times GetInputState was called.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Sets the phase the next reads return.</summary>
    public void MoveTo(InputPhase phase) => _phases.Enqueue(phase);

    /// <inheritdoc />
    public override Task<GetInputStateResponse> GetInputState(GetInputStateRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _reads);
        while (_phases.TryDequeue(out var phase))
        {
            _current = phase;
        }

        return Task.FromResult(new GetInputStateResponse
        {
            State = new InputState { RuntimeId = request.RuntimeId, InputId = request.InputId, Phase = _current },
        });
    }
}
