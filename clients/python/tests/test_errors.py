import grpc

from fake_server import RichError
from runtime_client import RuntimeClient, RuntimeClientError
from runtime_client.v1 import common_pb2
from runtime_client.v1 import control_plane_service_pb2 as cp


def test_a_unary_failure_over_the_wire_exposes_reason_metadata_and_bad_fields(fake):
    fake.create_runtime_error = RichError(grpc.StatusCode.INVALID_ARGUMENT, "INVALID_RUNTIME_ID",
                                          "runtime_id 'a b' is not valid",
                                          [("runtime_id", "must match [A-Za-z0-9._:-]{1,128}")])

    with RuntimeClient(fake.address) as client:
        try:
            client.control_plane.CreateRuntime(cp.CreateRuntimeRequest(runtime_id="a b"))
            raise AssertionError("CreateRuntime should have failed")
        except RuntimeClientError as error:
            failure = error

    assert isinstance(failure, grpc.RpcError)
    assert failure.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert failure.reason == "INVALID_RUNTIME_ID"
    assert failure.domain == "runtime"
    assert failure.metadata == {"runtime_id": "orders"}
    assert [(v.field, v.description) for v in failure.field_violations] == [
        ("runtime_id", "must match [A-Za-z0-9._:-]{1,128}")]
    assert "INVALID_RUNTIME_ID" in str(failure)


def test_the_future_form_of_a_call_fails_typed_too(fake):
    fake.create_runtime_error = RichError(grpc.StatusCode.ALREADY_EXISTS, "RUNTIME_EXISTS", "exists")

    with RuntimeClient(fake.address) as client:
        future = client.control_plane.CreateRuntime.future(cp.CreateRuntimeRequest(runtime_id="orders"))
        error = future.exception(timeout=10)

    assert isinstance(error, RuntimeClientError)
    assert error.reason == "RUNTIME_EXISTS"


def test_a_failure_without_details_has_an_empty_reason():
    class Plain(grpc.RpcError):
        def code(self):
            return grpc.StatusCode.UNAVAILABLE

        def details(self):
            return "connection refused"

        def trailing_metadata(self):
            return (("grpc-status-details-bin", b"\xff\xff\xff"),)

    error = RuntimeClientError.from_rpc_error(Plain())

    assert error.code() == grpc.StatusCode.UNAVAILABLE
    assert error.reason == ""
    assert error.field_violations == []


def test_an_in_stream_error_detail_becomes_the_same_error():
    detail = common_pb2.ErrorDetail(code=5, reason="RUNTIME_NOT_FOUND", message="no such runtime", metadata={"runtime_id": "x"})

    error = RuntimeClientError.from_error_detail(detail)

    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert error.reason == "RUNTIME_NOT_FOUND"
    assert error.metadata == {"runtime_id": "x"}
