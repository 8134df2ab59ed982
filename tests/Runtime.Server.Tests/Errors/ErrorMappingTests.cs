using Google.Rpc;
using Grpc.Core;
using Runtime.Core.Errors;
using Runtime.Server.Errors;

namespace Runtime.Server.Tests.Errors;

public sealed class ErrorMappingTests
{
    [Fact]
    public void Field_violations_become_one_bad_request_and_one_error_info()
    {
        var error = new Validator()
            .Add("runtime_id", "must not be empty")
            .Add("input.payload", "must be at most 4194304 bytes");
        var thrown = Assert.Throws<RuntimeException>(() => error.ThrowIfInvalid());

        var status = ErrorMapping.ToRpcException(thrown).GetRpcStatus()!;

        Assert.Equal((int)StatusCode.InvalidArgument, status.Code);
        var info = Assert.Single(status.Details, d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>();
        Assert.Equal("INVALID_FIELD", info.Reason);
        Assert.Equal("runtime", info.Domain);
        var badRequest = Assert.Single(status.Details, d => d.Is(BadRequest.Descriptor)).Unpack<BadRequest>();
        Assert.Equal(["runtime_id", "input.payload"], badRequest.FieldViolations.Select(v => v.Field));
    }

    [Theory]
    [InlineData(ErrorKind.NotFound, StatusCode.NotFound)]
    [InlineData(ErrorKind.AlreadyExists, StatusCode.AlreadyExists)]
    [InlineData(ErrorKind.FailedPrecondition, StatusCode.FailedPrecondition)]
    [InlineData(ErrorKind.ResourceExhausted, StatusCode.ResourceExhausted)]
    [InlineData(ErrorKind.Aborted, StatusCode.Aborted)]
    [InlineData(ErrorKind.Unavailable, StatusCode.Unavailable)]
    [InlineData(ErrorKind.Internal, StatusCode.Internal)]
    public void Each_kind_maps_to_its_canonical_code_with_metadata(ErrorKind kind, StatusCode expected)
    {
        var error = new RuntimeException(kind, "SOME_REASON", "runtime 'r1' says no",
            new Dictionary<string, string> { ["runtime_id"] = "r1" });

        var status = ErrorMapping.ToRpcException(error).GetRpcStatus()!;

        Assert.Equal((int)expected, status.Code);
        var info = Assert.Single(status.Details).Unpack<ErrorInfo>();
        Assert.Equal("SOME_REASON", info.Reason);
        Assert.Equal("r1", info.Metadata["runtime_id"]);
    }

    [Fact]
    public void In_stream_error_detail_carries_the_same_reason_and_fields()
    {
        var error = Fail.InvalidField("input.input_id", "must match [A-Za-z0-9._:-]{1,128}");

        var detail = ErrorMapping.ToErrorDetail(error);

        Assert.Equal((int)StatusCode.InvalidArgument, detail.Code);
        Assert.Equal("INVALID_FIELD", detail.Reason);
        Assert.Equal("input.input_id", Assert.Single(detail.FieldViolations).Field);
    }
}
