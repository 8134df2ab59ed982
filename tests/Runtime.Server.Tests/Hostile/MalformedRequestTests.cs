using Google.Rpc;
using Grpc.Core;
using Runtime.Server.Tests.Infrastructure;

namespace Runtime.Server.Tests.Hostile;

/// <summary>
/// Every method the server maps (enumerated from its endpoints, so a new RPC is covered without a new case) answers
/// bytes that are not a valid request message with INVALID_ARGUMENT and one ErrorInfo <c>MALFORMED_REQUEST</c>.
/// </summary>
public sealed class MalformedRequestTests(LoopbackServer server) : IClassFixture<LoopbackServer>
{
    [Fact]
    public async Task Every_method_answers_malformed_bytes_invalid_argument_malformed_request()
    {
        var failures = new List<string>();
        var methods = server.Methods;
        Assert.Contains(methods, m => m.FullName == "runtime.v1.RuntimeDriverService/AcceptInputStream");
        Assert.Contains(methods, m => m.FullName == "grpc.health.v1.Health/Check");
        foreach (var (fullName, type, requestType) in methods)
        {
            foreach (var (name, bytes) in MalformedBytes.Generic.Concat(MalformedBytes.For(requestType)))
            {
                var answer = await RawCall.CallAsync(server.Channel, fullName, type, bytes);
                var info = ErrorInfos(answer);
                if (answer.Status.StatusCode != StatusCode.InvalidArgument || info is not [{ Reason: "MALFORMED_REQUEST", Domain: "runtime" }])
                {
                    failures.Add($"{fullName} ({name}): {answer.Status.StatusCode} '{answer.Status.Detail}', {info.Count} ErrorInfo {string.Join(",", info.Select(i => i.Reason))}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The ErrorInfo details of a failed answer.</summary>
    public static IReadOnlyList<ErrorInfo> ErrorInfos(RawAnswer answer) =>
        answer.Error?.GetRpcStatus()?.Details.Where(d => d.Is(ErrorInfo.Descriptor)).Select(d => d.Unpack<ErrorInfo>()).ToList() ?? [];
}
