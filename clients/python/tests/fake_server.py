"""A tiny gRPC server (grpcio, loopback, free port) serving scripted Runtime services: the honest way to make a
stream fail, resume, or return rich errors on demand."""

from __future__ import annotations

import queue
import threading
from concurrent import futures
from typing import Callable, Iterable, Iterator, List, Optional, Tuple

import grpc
from google.protobuf import any_pb2

from runtime_client._rpc_status import BadRequest, ErrorInfo, Status
from runtime_client.v1 import control_plane_service_pb2 as control_plane
from runtime_client.v1 import control_plane_service_pb2_grpc as control_plane_grpc
from runtime_client.v1 import driver_service_pb2 as driver
from runtime_client.v1 import driver_service_pb2_grpc as driver_grpc
from runtime_client.v1 import input_pb2
from runtime_client.v1 import observation_service_pb2_grpc as observation_grpc
from runtime_client.v1 import runtime_pb2

Script = Callable[[object, grpc.ServicerContext], Iterable[object]]


class RichError(Exception):
    """Raised by a script: the server answers with this code and a google.rpc.Status in the trailers."""

    def __init__(self, code: grpc.StatusCode, reason: str, message: str, violations: List[Tuple[str, str]] = ()):
        super().__init__(message)
        self.code, self.reason, self.message, self.violations = code, reason, message, list(violations)

    def abort(self, context: grpc.ServicerContext) -> None:
        status = Status(code=self.code.value[0], message=self.message)
        info = any_pb2.Any()
        info.Pack(ErrorInfo(reason=self.reason, domain="runtime", metadata={"runtime_id": "orders"}))
        status.details.append(info)
        if self.violations:
            bad = any_pb2.Any()
            bad.Pack(BadRequest(field_violations=[
                BadRequest.FieldViolation(field=f, description=d) for f, d in self.violations]))
            status.details.append(bad)
        context.set_trailing_metadata((("grpc-status-details-bin", status.SerializeToString()),))
        context.abort(self.code, self.message)


class ScriptedCalls:
    """The scripted answers of one server-streaming method, taken in order; requests are recorded."""

    def __init__(self) -> None:
        self._scripts: "queue.Queue[Script]" = queue.Queue()
        self.requests: "queue.Queue[object]" = queue.Queue()

    def then(self, script: Script) -> None:
        self._scripts.put(script)

    def then_send_and_fail(self, *messages, code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE) -> None:
        """A call that sends these messages, then fails as a server going away does (UNAVAILABLE by default)."""
        def script(_request, context):
            yield from messages
            context.abort(code, "connection lost")
        self.then(script)

    def then_send_and_end(self, *messages) -> None:
        self.then(lambda _request, _context: iter(messages))

    def then_fail(self, error: RichError) -> None:
        def script(_request, context):
            error.abort(context)
            yield from ()
        self.then(script)

    def next_request(self, timeout: float = 10):
        return self.requests.get(timeout=timeout)

    def handle(self, request, context) -> Iterator[object]:
        self.requests.put(request)
        try:
            script = self._scripts.get_nowait()
        except queue.Empty:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, "no script left for this call")
        yield from script(request, context)


class _ControlPlane(control_plane_grpc.RuntimeControlPlaneServiceServicer):
    def __init__(self, fake: "FakeServer") -> None:
        self._fake = fake

    def WatchRuntimeEvents(self, request, context):
        return self._fake.watch.handle(request, context)

    def CreateRuntime(self, request, context):
        if self._fake.create_runtime_error is not None:
            self._fake.create_runtime_error.abort(context)
        return control_plane.CreateRuntimeResponse(created=True, runtime=runtime_pb2.Runtime(runtime_id=request.runtime_id))


class _Observation(observation_grpc.ObservationServiceServicer):
    def __init__(self, fake: "FakeServer") -> None:
        self._fake = fake

    def Subscribe(self, request, context):
        return self._fake.subscriptions.handle(request, context)


class _Driver(driver_grpc.RuntimeDriverServiceServicer):
    def __init__(self, fake: "FakeServer") -> None:
        self._fake = fake

    def GetInputState(self, request, context):
        with self._fake.lock:
            self._fake.input_reads += 1
            phase = self._fake.input_phase
            self._fake.read_happened.set()
        return driver.GetInputStateResponse(
            state=input_pb2.InputState(runtime_id=request.runtime_id, input_id=request.input_id, phase=phase))


class FakeServer:
    """Scripted Runtime services on a real gRPC server bound to 127.0.0.1 on a free port."""

    def __init__(self) -> None:
        self.watch = ScriptedCalls()
        self.subscriptions = ScriptedCalls()
        self.create_runtime_error: Optional[RichError] = None
        self.lock = threading.Lock()
        self.input_phase = input_pb2.INPUT_PHASE_QUEUED
        self.input_reads = 0
        self.read_happened = threading.Event()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        control_plane_grpc.add_RuntimeControlPlaneServiceServicer_to_server(_ControlPlane(self), self._server)
        observation_grpc.add_ObservationServiceServicer_to_server(_Observation(self), self._server)
        driver_grpc.add_RuntimeDriverServiceServicer_to_server(_Driver(self), self._server)
        port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{port}"
        self._server.start()

    def stop(self) -> None:
        self._server.stop(grace=None)
