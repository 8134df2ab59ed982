using Runtime.Core.Errors;
using Runtime.Core.Inputs;

namespace Runtime.Core.Tests.StateMachines;

public sealed class InputPhaseMachineTests
{
    // The table from DESIGN.md section 2, written out independently of the implementation.
    private static readonly Dictionary<InputPhase, InputPhase[]> Design = new()
    {
        [InputPhase.Accepted] = [InputPhase.Queued, InputPhase.Consumed, InputPhase.Superseded, InputPhase.Coalesced, InputPhase.Abandoned],
        [InputPhase.Queued] = [InputPhase.Staged, InputPhase.Superseded, InputPhase.Coalesced, InputPhase.Abandoned],
        [InputPhase.Staged] = [InputPhase.Queued, InputPhase.Applied, InputPhase.Superseded, InputPhase.Abandoned],
        [InputPhase.Applied] = [InputPhase.AppliedPendingConsumption, InputPhase.Consumed, InputPhase.Abandoned],
        [InputPhase.AppliedPendingConsumption] = [InputPhase.Consumed, InputPhase.Abandoned],
        [InputPhase.Consumed] = [],
        [InputPhase.Superseded] = [],
        [InputPhase.Coalesced] = [],
        [InputPhase.Abandoned] = [],
    };

    public static TheoryData<InputPhase, InputPhase> Allowed()
    {
        var data = new TheoryData<InputPhase, InputPhase>();
        foreach (var (from, targets) in Design)
        {
            foreach (var to in targets)
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    public static TheoryData<InputPhase, InputPhase> Forbidden()
    {
        var data = new TheoryData<InputPhase, InputPhase>();
        foreach (var from in Enum.GetValues<InputPhase>())
        {
            foreach (var to in Enum.GetValues<InputPhase>().Where(to => !Design[from].Contains(to)))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Allowed_moves_succeed(InputPhase from, InputPhase to)
    {
        Assert.True(InputPhaseMachine.CanMove(from, to));
        Assert.Equal(to, InputPhaseMachine.Move(from, to));
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void Forbidden_moves_throw_failed_precondition_naming_both_phases(InputPhase from, InputPhase to)
    {
        Assert.False(InputPhaseMachine.CanMove(from, to));
        var error = Assert.Throws<RuntimeException>(() => InputPhaseMachine.Move(from, to));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Equal("INVALID_INPUT_TRANSITION", error.Reason);
        Assert.Equal(from.ToString(), error.Metadata["from"]);
        Assert.Equal(to.ToString(), error.Metadata["to"]);
    }

    [Fact]
    public void Terminal_phases_are_exactly_those_without_a_way_out()
    {
        foreach (var phase in Enum.GetValues<InputPhase>())
        {
            Assert.Equal(Design[phase].Length == 0, InputPhaseMachine.IsTerminal(phase));
        }
    }
}
