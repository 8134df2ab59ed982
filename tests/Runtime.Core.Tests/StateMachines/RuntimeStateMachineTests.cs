using Runtime.Core.Errors;
using Runtime.Core.Runtimes;

namespace Runtime.Core.Tests.StateMachines;

public sealed class RuntimeStateMachineTests
{
    // The table from DESIGN.md section 2, written out independently of the implementation.
    private static readonly Dictionary<RuntimeState, RuntimeState[]> Design = new()
    {
        [RuntimeState.Initializing] = [RuntimeState.Idle, RuntimeState.Stopped, RuntimeState.Destroyed],
        [RuntimeState.Idle] = [RuntimeState.Attached, RuntimeState.Running, RuntimeState.Retired, RuntimeState.Recovering, RuntimeState.Stopped, RuntimeState.Destroyed],
        [RuntimeState.Attached] = [RuntimeState.Running, RuntimeState.Idle, RuntimeState.Retired, RuntimeState.Recovering, RuntimeState.Stopped, RuntimeState.Destroyed],
        [RuntimeState.Running] = [RuntimeState.Idle, RuntimeState.Attached, RuntimeState.Recovering, RuntimeState.Retired, RuntimeState.Stopped, RuntimeState.Destroyed],
        [RuntimeState.Recovering] = [RuntimeState.Idle, RuntimeState.Attached, RuntimeState.Running, RuntimeState.Stopped, RuntimeState.Destroyed],
        [RuntimeState.Retired] = [RuntimeState.Running, RuntimeState.Stopped, RuntimeState.Destroyed],
        [RuntimeState.Stopped] = [RuntimeState.Recovering, RuntimeState.Destroyed],
        [RuntimeState.Destroyed] = [],
    };

    public static TheoryData<RuntimeState, RuntimeState> Allowed()
    {
        var data = new TheoryData<RuntimeState, RuntimeState>();
        foreach (var (from, targets) in Design)
        {
            foreach (var to in targets)
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    public static TheoryData<RuntimeState, RuntimeState> Forbidden()
    {
        var data = new TheoryData<RuntimeState, RuntimeState>();
        foreach (var from in Enum.GetValues<RuntimeState>())
        {
            foreach (var to in Enum.GetValues<RuntimeState>().Where(to => !Design[from].Contains(to)))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Allowed_moves_succeed(RuntimeState from, RuntimeState to)
    {
        Assert.True(RuntimeStateMachine.CanMove(from, to));
        Assert.Equal(to, RuntimeStateMachine.Move(from, to));
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void Forbidden_moves_throw_failed_precondition_naming_both_states(RuntimeState from, RuntimeState to)
    {
        Assert.False(RuntimeStateMachine.CanMove(from, to));
        var error = Assert.Throws<RuntimeException>(() => RuntimeStateMachine.Move(from, to));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Equal("INVALID_RUNTIME_TRANSITION", error.Reason);
        Assert.Equal(from.ToString(), error.Metadata["from"]);
        Assert.Equal(to.ToString(), error.Metadata["to"]);
        Assert.Contains(from.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(to.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_destroyed_is_terminal_and_only_idle_attached_running_accept_input()
    {
        foreach (var state in Enum.GetValues<RuntimeState>())
        {
            Assert.Equal(state == RuntimeState.Destroyed, RuntimeStateMachine.IsTerminal(state));
            Assert.Equal(state is RuntimeState.Idle or RuntimeState.Attached or RuntimeState.Running,
                RuntimeStateMachine.AcceptsInput(state));
        }
    }
}
