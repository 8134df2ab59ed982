using Runtime.Core.Delivery;
using Runtime.Core.Hosting;

namespace Runtime.Core.Driver;

/// <summary>Something a runtime's mailbox holds.</summary>
internal abstract class Message
{
    /// <summary>Fails whoever waits for this message.</summary>
    public abstract void Fail(Exception error);
}

/// <summary>Inputs to accept; consecutive ones are folded into one turn and one commit.</summary>
internal sealed class AcceptMessage(IReadOnlyList<InputSubmission> inputs) : Message
{
    public IReadOnlyList<InputSubmission> Inputs { get; } = inputs;

    public TaskCompletionSource<IReadOnlyList<AcceptResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Fail(Exception error) => Completion.TrySetException(error);
}

/// <summary>Any other operation: runs inside the actor with the turn it may change.</summary>
internal abstract class OperationMessage(string kind) : Message
{
    public string Kind { get; } = kind;

    public abstract Task ExecuteAsync(RuntimeActor actor, Turn turn);

    public abstract void Complete();
}

/// <inheritdoc />
internal sealed class OperationMessage<T>(string kind, Func<RuntimeActor, Turn, Task<T>> body) : OperationMessage(kind)
{
    private T? _result;

    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task ExecuteAsync(RuntimeActor actor, Turn turn) => _result = await body(actor, turn);

    public override void Complete() => Completion.TrySetResult(_result!);

    public override void Fail(Exception error) => Completion.TrySetException(error);
}

/// <summary>A delivery ended.</summary>
internal sealed class RunEndedMessage(ActiveRun run, DeliveryResult result) : Message
{
    public ActiveRun Run { get; } = run;

    public DeliveryResult Result { get; } = result;

    public override void Fail(Exception error)
    {
    }
}

/// <summary>Look again: a retry timer fired or a destination's availability changed.</summary>
internal sealed class PumpMessage : Message
{
    public static PumpMessage Instance { get; } = new();

    public override void Fail(Exception error)
    {
    }
}

/// <summary>The idle timer fired: unload if still idle.</summary>
internal sealed class IdleCheckMessage : Message
{
    public static IdleCheckMessage Instance { get; } = new();

    public override void Fail(Exception error)
    {
    }
}

/// <summary>Completes once nothing is being delivered (tests and orderly shutdown wait on it).</summary>
internal sealed class SettleMessage : Message
{
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Fail(Exception error) => Completion.TrySetException(error);
}

/// <summary>A run the actor handed to the delivery port.</summary>
internal sealed class ActiveRun(Storage.RunRecord record, List<Storage.InputRecord> inputs, string destination)
{
    public Storage.RunRecord Record { get; } = record;

    public List<Storage.InputRecord> Inputs { get; } = inputs;

    public string Destination { get; } = destination;

    public CancellationTokenSource Cancellation { get; } = new();

    public bool AwaitingCompletion => Record.Status == Storage.RunStatus.AwaitingCompletion;

    /// <summary>The destination's answer, once it came (runs end in staging order, so it may wait for earlier runs).</summary>
    public Delivery.DeliveryResult? Result { get; set; }
}

/// <summary>The host is stopping: drop in-flight work (it is durable) and end the loop.</summary>
internal sealed class StopMessage : Message
{
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Fail(Exception error) => Completion.TrySetResult();
}
