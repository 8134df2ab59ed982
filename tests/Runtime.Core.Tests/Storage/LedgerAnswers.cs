using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Runtime.Core.Hosting;
using Runtime.Core.Inputs;

namespace Runtime.Core.Tests.Storage;

/// <summary>
/// Everything the API answers about a ledger, as canonical JSON: every runtime (state, counts, receipts sequence),
/// every input page and every input's state with its history, and every receipt. Two ledgers that answer the same
/// produce the same text, whatever their storage layout.
/// </summary>
internal static class LedgerAnswers
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<string> DumpAsync(IRuntimeHost host)
    {
        var text = new StringBuilder();
        var runtimes = await host.ListRuntimesAsync(new RuntimeQuery { PageSize = 1000 });
        foreach (var runtime in runtimes.Runtimes)
        {
            text.AppendLine(JsonSerializer.Serialize(new
            {
                runtime.RuntimeId,
                runtime.State,
                runtime.Destination,
                runtime.Labels,
                runtime.PhaseCounts,
                runtime.Retiring,
                runtime.QuarantineReason,
                runtime.LastBoundarySequence,
                runtime.CreatedAt,
            }, Json));
            var pageToken = "";
            var receipts = new SortedSet<(string RunId, long Sequence)>();
            do
            {
                var page = await host.ListInputsAsync(new InputQuery { RuntimeId = runtime.RuntimeId, PageSize = 7, PageToken = pageToken });
                foreach (var input in page.Inputs)
                {
                    var state = await host.GetInputStateAsync(runtime.RuntimeId, input.InputId);
                    text.AppendLine(JsonSerializer.Serialize(Canonical(input), Json));
                    if (JsonSerializer.Serialize(Canonical(state), Json) != JsonSerializer.Serialize(Canonical(input), Json))
                    {
                        text.AppendLine("GetInputState differs from ListInputs: " + JsonSerializer.Serialize(Canonical(state), Json));
                    }

                    if (state.LastBoundarySequence > 0)
                    {
                        receipts.Add((state.LastRunId, state.LastBoundarySequence));
                    }
                }

                pageToken = page.NextPageToken;
            }
            while (pageToken.Length > 0);

            foreach (var phase in InputPhaseMachine.All)
            {
                var page = await host.ListInputsAsync(new InputQuery { RuntimeId = runtime.RuntimeId, Phases = [phase], PageSize = 1000 });
                text.AppendLine($"{runtime.RuntimeId} {phase}: {string.Join(",", page.Inputs.Select(i => i.InputId))}");
            }

            foreach (var (runId, sequence) in receipts)
            {
                var receipt = await host.GetBoundaryReceiptAsync(runtime.RuntimeId, runId, sequence);
                text.AppendLine(JsonSerializer.Serialize(receipt, Json));
            }
        }

        return text.ToString();
    }

    private static object Canonical(InputState s) => new
    {
        s.InputId,
        s.RuntimeId,
        s.Position,
        s.Kind,
        Payload = Convert.ToBase64String(s.Payload.Span),
        s.ContentType,
        Headers = s.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).ToList(),
        s.IdempotencyKey,
        s.SupersessionKey,
        s.CoalesceKey,
        s.Priority,
        s.PayloadType,
        s.Phase,
        s.AbandonReason,
        s.AttemptCount,
        s.RecoveryCount,
        s.LastRunId,
        s.LastBoundarySequence,
        s.LastError,
        s.NextAttemptAt,
        s.History,
        s.CreatedAt,
        s.UpdatedAt,
    };
}
