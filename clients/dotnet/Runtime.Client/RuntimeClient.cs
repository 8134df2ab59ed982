using System.Threading.Channels;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Runtime.Client.Errors;
using Runtime.Client.Inputs;
using Runtime.Client.Streams;
using Runtime.Contracts.V1;

namespace Runtime.Client;

/// <summary>
/// One entry point to Runtime: the generated clients of its services (failures arrive as
/// <see cref="RuntimeClientException"/>) plus the helpers that are easy to get wrong by hand: resilient
/// subscriptions and waiting for an input to finish. Get it from DI (<c>services.AddRuntimeClient(...)</c>) or
/// build it over a channel with <see cref="Create"/>.
/// </summary>
public sealed class RuntimeClient
{
    private readonly RuntimeClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResilientStream _streams;

    /// <summary>Creates the client over generated clients that already translate errors (as DI builds them).</summary>
    /// <param name="driver">The data plane client.</param>
    /// <param name="controlPlane">The control plane client.</param>
    /// <param name="transports">The transport client.</param>
    /// <param name="observation">The observation client.</param>
    /// <param name="health">The standard gRPC health client.</param>
    /// <param name="options">Client options.</param>
    /// <param name="time">The clock for backoff and polling.</param>
    /// <param name="logger">Where reconnections are logged.</param>
    public RuntimeClient(
        RuntimeDriverService.RuntimeDriverServiceClient driver,
        RuntimeControlPlaneService.RuntimeControlPlaneServiceClient controlPlane,
        TransportService.TransportServiceClient transports,
        ObservationService.ObservationServiceClient observation,
        Health.HealthClient health,
        IOptions<RuntimeClientOptions> options,
        TimeProvider time,
        ILogger<RuntimeClient> logger)
    {
        Driver = driver;
        ControlPlane = controlPlane;
        Transports = transports;
        Observation = observation;
        Health = health;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _streams = new ResilientStream(_options.Reconnect, time, logger);
    }

    /// <summary>The data plane: accept inputs, read input and runtime state.</summary>
    public RuntimeDriverService.RuntimeDriverServiceClient Driver { get; }

    /// <summary>The control plane: create, list and operate runtimes, receipts, events.</summary>
    public RuntimeControlPlaneService.RuntimeControlPlaneServiceClient ControlPlane { get; }

    /// <summary>Destinations and their wires.</summary>
    public TransportService.TransportServiceClient Transports { get; }

    /// <summary>Observers, snapshots and history (use <see cref="SubscribeAsync"/> to stream).</summary>
    public ObservationService.ObservationServiceClient Observation { get; }

    /// <summary>The standard gRPC health service (<c>grpc.health.v1.Health</c>), for readiness checks.</summary>
    public Health.HealthClient Health { get; }

    /// <summary>
    /// Creates a client over a channel you manage (for example <c>GrpcChannel.ForAddress(...)</c>), without DI.
    /// The channel's address is used; <see cref="RuntimeClientOptions.Address"/> is ignored.
    /// </summary>
    /// <param name="channel">The channel to Runtime.</param>
    /// <param name="options">Client options; defaults when null.</param>
    /// <param name="time">The clock; the system clock when null.</param>
    /// <param name="loggerFactory">Where reconnections are logged; nowhere when null.</param>
    public static RuntimeClient Create(
        ChannelBase channel, RuntimeClientOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        var invoker = channel.CreateCallInvoker().Intercept(new RuntimeErrorInterceptor());
        return new RuntimeClient(
            new RuntimeDriverService.RuntimeDriverServiceClient(invoker),
            new RuntimeControlPlaneService.RuntimeControlPlaneServiceClient(invoker),
            new TransportService.TransportServiceClient(invoker),
            new ObservationService.ObservationServiceClient(invoker),
            new Health.HealthClient(invoker),
            Options.Create(options ?? new RuntimeClientOptions()),
            time ?? TimeProvider.System,
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RuntimeClient>());
    }

    /// <summary>
    /// Streams runtime events, resiliently: when the connection breaks it reconnects with backoff and resumes after
    /// the last sequence delivered, keeping <c>max_events</c> and <c>max_duration</c> across reconnections. Gaps and
    /// heartbeats are yielded as the server sends them: a gap means events were missed, so act on it (re-read
    /// state). Ends when the server ends the stream (limits reached); throws <see cref="RuntimeClientException"/>
    /// on a non-transient failure.
    /// </summary>
    /// <param name="request">What to watch; <c>after_sequence</c> is where to start (unset: only new events).</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    public IAsyncEnumerable<WatchRuntimeEventsResponse> WatchRuntimeEventsAsync(
        WatchRuntimeEventsRequest request, CancellationToken cancellationToken = default) =>
        _streams.ReadAllAsync(
            (next, token) => ControlPlane.WatchRuntimeEvents(next, cancellationToken: token),
            new RuntimeEventsCursor(request, _time),
            cancellationToken);

    /// <summary>
    /// Streams observation messages, resiliently: when the connection breaks it reconnects with backoff and resumes
    /// after the last cycle delivered for each observer (without asking for the snapshots again), keeping
    /// <c>max_messages</c> and <c>max_duration</c> across reconnections. Gaps (followed by a fresh snapshot), cycle
    /// failures and heartbeats are yielded as the server sends them. Throws <see cref="RuntimeClientException"/> on
    /// a non-transient failure.
    /// </summary>
    /// <param name="request">What to follow.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    public IAsyncEnumerable<SubscribeResponse> SubscribeAsync(
        SubscribeRequest request, CancellationToken cancellationToken = default) =>
        _streams.ReadAllAsync(
            (next, token) => Observation.Subscribe(next, cancellationToken: token),
            new ObservationCursor(request, _time),
            cancellationToken);

    /// <summary>The most inputs one <c>AcceptInputStream</c> message may carry (the server's limit).</summary>
    public const int MaxInputsPerMessage = 2048;

    /// <summary>
    /// Accepts many inputs into one runtime over one <c>AcceptInputStream</c> call: they travel in messages of up to
    /// <see cref="MaxInputsPerMessage"/> (one message per batch instead of one call per input), and the answers come
    /// back in order, one per input. An input the server refuses (validation, queue full, unknown runtime) gets its
    /// error in its own result and does not fail the others; a failure of the call itself throws
    /// <see cref="RuntimeClientException"/>, and then any input may or may not have been accepted (retry with input
    /// ids or idempotency keys to make that safe).
    /// </summary>
    /// <param name="runtimeId">The runtime to accept into.</param>
    /// <param name="inputs">The inputs, in the order the runtime should see them.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    public async Task<IReadOnlyList<AcceptBatchResult>> AcceptBatchAsync(
        string runtimeId, IReadOnlyList<Input> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runtimeId);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            return [];
        }

        var batches = inputs.Chunk(MaxInputsPerMessage).ToList();
        try
        {
            using var call = Driver.AcceptInputStream(cancellationToken: cancellationToken);
            var answers = ReadBatchAnswersAsync(call.ResponseStream, batches, cancellationToken);
            foreach (var batch in batches)
            {
                var request = new AcceptInputStreamRequest { RuntimeId = runtimeId };
                request.Inputs.Add(batch);
                await call.RequestStream.WriteAsync(request, cancellationToken);
            }

            await call.RequestStream.CompleteAsync();
            return await answers;
        }
        catch (RpcException e)
        {
            throw RuntimeClientException.From(e);
        }
    }

    /// <summary>One answer per batch, in order: a result per input, or one error for the whole message.</summary>
    private static async Task<IReadOnlyList<AcceptBatchResult>> ReadBatchAnswersAsync(
        IAsyncStreamReader<AcceptInputStreamResponse> responses, List<Input[]> batches, CancellationToken cancellationToken)
    {
        var results = new List<AcceptBatchResult>(batches.Sum(b => b.Length));
        foreach (var batch in batches)
        {
            if (!await responses.MoveNext(cancellationToken))
            {
                throw new RuntimeClientException(
                    new Status(StatusCode.Internal, "the server ended AcceptInputStream before answering every batch"),
                    Metadata.Empty, errorInfo: null, fieldViolations: [], rpcStatus: null);
            }

            var response = responses.Current;
            if (response.Results.Count == batch.Length)
            {
                results.AddRange(response.Results.Select(r => r.ResultCase == AcceptInputStreamResult.ResultOneofCase.Accepted
                    ? new AcceptBatchResult(r.Accepted, null)
                    : new AcceptBatchResult(null, RuntimeClientException.From(r.Error ?? new ErrorDetail()))));
            }
            else
            {
                // The whole message was refused (for example the ingest rate limit): every input in it shares the error.
                var error = RuntimeClientException.From(response.Error ?? new ErrorDetail
                {
                    Code = (int)StatusCode.Internal,
                    Message = $"the server answered a batch of {batch.Length} with {response.Results.Count} results",
                });
                results.AddRange(batch.Select(_ => new AcceptBatchResult(null, error)));
            }
        }

        return results;
    }

    /// <summary>Waits until an input reaches a terminal phase (CONSUMED, SUPERSEDED, COALESCED or ABANDONED) and
    /// returns its ledger record.</summary>
    /// <param name="runtimeId">The runtime.</param>
    /// <param name="inputId">The input.</param>
    /// <param name="cancellationToken">Stops waiting (use a timeout).</param>
    public Task<InputState> WaitForInputAsync(string runtimeId, string inputId, CancellationToken cancellationToken = default) =>
        WaitForInputAsync(runtimeId, inputId, state => state.Phase.IsTerminal(), cancellationToken);

    /// <summary>
    /// Waits until an input's ledger record satisfies <paramref name="until"/> and returns it. It re-reads the input
    /// whenever a runtime event concerns it, and at least every <see cref="RuntimeClientOptions.InputPollInterval"/>
    /// (so it also works where events cannot be watched).
    /// </summary>
    /// <param name="runtimeId">The runtime.</param>
    /// <param name="inputId">The input.</param>
    /// <param name="until">The condition to wait for.</param>
    /// <param name="cancellationToken">Stops waiting (use a timeout).</param>
    public async Task<InputState> WaitForInputAsync(
        string runtimeId, string inputId, Func<InputState, bool> until, CancellationToken cancellationToken = default)
    {
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watching = WakeOnInputEventsAsync(runtimeId, inputId, wake.Writer, stopWatching.Token);
        try
        {
            while (true)
            {
                var reply = await Driver.GetInputStateAsync(
                    new GetInputStateRequest { RuntimeId = runtimeId, InputId = inputId }, cancellationToken: cancellationToken);
                if (until(reply.State))
                {
                    return reply.State;
                }

                await WaitForWakeAsync(wake.Reader, cancellationToken);
            }
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watching;
        }
    }

    private async Task WaitForWakeAsync(ChannelReader<bool> wake, CancellationToken cancellationToken)
    {
        using var interval = new CancellationTokenSource(_options.InputPollInterval, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, interval.Token);
        try
        {
            await wake.WaitToReadAsync(either.Token);
            wake.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval elapsed: read again.
        }
    }

    private async Task WakeOnInputEventsAsync(string runtimeId, string inputId, ChannelWriter<bool> wake, CancellationToken cancellationToken)
    {
        var request = new WatchRuntimeEventsRequest { RuntimeIds = { runtimeId }, Kinds = { RuntimeEventKind.InputTransitioned } };
        try
        {
            await foreach (var message in WatchRuntimeEventsAsync(request, cancellationToken))
            {
                // Heartbeats wake too: an event that happened before the watch started is caught on the next one.
                if (message.MessageCase != WatchRuntimeEventsResponse.MessageOneofCase.Events
                    || message.Events.Events.Any(e => e.InputId == inputId))
                {
                    wake.TryWrite(true);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (RpcException e)
        {
            // Events are an accelerator here, not a requirement: polling carries on.
            _logger.LogDebug("Not watching events for input {InputId} ({Status}); polling instead", inputId, e.StatusCode);
        }
    }
}
