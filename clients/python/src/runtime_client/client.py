"""RuntimeClient: a stub per service, typed errors, resilient subscriptions and wait_for_input."""

from __future__ import annotations

import threading
import time
from typing import Callable, Optional

import grpc

from ._rpc_status import health_pb2_grpc
from .errors import RuntimeClientError
from .interceptor import ErrorInterceptor
from .streams import ObservationCursor, ReconnectOptions, ResilientStream, RuntimeEventsCursor
from .v1 import control_plane_service_pb2 as control_plane
from .v1 import control_plane_service_pb2_grpc as control_plane_grpc
from .v1 import driver_service_pb2 as driver
from .v1 import driver_service_pb2_grpc as driver_grpc
from .v1 import input_pb2
from .v1 import observation_service_pb2 as observation
from .v1 import observation_service_pb2_grpc as observation_grpc
from .v1 import transport_service_pb2_grpc as transport_grpc

TERMINAL_PHASES = frozenset({
    input_pb2.INPUT_PHASE_CONSUMED,
    input_pb2.INPUT_PHASE_SUPERSEDED,
    input_pb2.INPUT_PHASE_COALESCED,
    input_pb2.INPUT_PHASE_ABANDONED,
})


def is_terminal(phase: int) -> bool:
    """True for the phases an input never leaves: CONSUMED, SUPERSEDED, COALESCED, ABANDONED."""
    return phase in TERMINAL_PHASES


class RuntimeClient:
    """One entry point to Runtime.

    ``driver``, ``control_plane``, ``transports``, ``observation`` and ``health`` are the generated stubs (every
    failure raises :class:`RuntimeClientError`); ``watch_runtime_events``, ``subscribe`` and ``wait_for_input`` are
    the helpers that are easy to get wrong by hand. Use it as a context manager, or call ``close()``.
    """

    def __init__(
        self,
        address: str = "127.0.0.1:5000",
        *,
        channel: Optional[grpc.Channel] = None,
        reconnect: ReconnectOptions = ReconnectOptions(),
        input_poll_interval: float = 1.0,
        sleep: Optional[Callable[[float], None]] = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Connects to ``address`` (``host:port``; an ``http://`` prefix is accepted) over h2c, or uses ``channel``.

        ``sleep`` and ``clock`` replace the real ones (tests); ``reconnect`` tunes the backoff of subscriptions;
        ``input_poll_interval`` is how often ``wait_for_input`` re-reads when no event wakes it, in seconds.
        """
        self._own_channel = channel is None
        self._raw_channel = channel or grpc.insecure_channel(_target(address))
        self._channel = grpc.intercept_channel(self._raw_channel, ErrorInterceptor())
        self._reconnect = reconnect
        self._poll_interval = input_poll_interval
        self._sleep = sleep
        self._clock = clock
        #: The data plane: accept inputs, read input and runtime state.
        self.driver = driver_grpc.RuntimeDriverServiceStub(self._channel)
        #: The control plane: create, list and operate runtimes, receipts, events.
        self.control_plane = control_plane_grpc.RuntimeControlPlaneServiceStub(self._channel)
        #: Destinations and their wires.
        self.transports = transport_grpc.TransportServiceStub(self._channel)
        #: Observers, snapshots and history (use subscribe() to stream).
        self.observation = observation_grpc.ObservationServiceStub(self._channel)
        #: The standard gRPC health service, for readiness checks.
        self.health = health_pb2_grpc.HealthStub(self._channel)

    def close(self) -> None:
        """Closes the channel (if this client created it)."""
        if self._own_channel:
            self._raw_channel.close()

    def __enter__(self) -> "RuntimeClient":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def watch_runtime_events(
        self, request: Optional[control_plane.WatchRuntimeEventsRequest] = None, **fields
    ) -> ResilientStream:
        """Streams runtime events, resiliently.

        Reconnects with backoff, resumes after the last sequence delivered, keeps ``max_events`` /
        ``max_duration`` across reconnections. Gaps and heartbeats are yielded as the server sends them: a gap means
        events were missed, so act on it (re-read state). Ends when the server ends the stream; raises
        :class:`RuntimeClientError` on a non-transient failure. Pass a request or its fields as keywords.
        """
        request = request or control_plane.WatchRuntimeEventsRequest(**fields)
        return ResilientStream(
            lambda next_request: self.control_plane.WatchRuntimeEvents(next_request),
            RuntimeEventsCursor(request, self._clock),
            self._reconnect,
            self._sleep,
        )

    def subscribe(self, request: Optional[observation.SubscribeRequest] = None, **fields) -> ResilientStream:
        """Streams observation messages, resiliently.

        Reconnects with backoff and resumes after the last cycle delivered per observer (without asking for the
        snapshots again), keeping ``max_messages`` / ``max_duration``. Gaps (followed by a fresh snapshot), cycle
        failures and heartbeats are yielded as the server sends them.
        """
        request = request or observation.SubscribeRequest(**fields)
        return ResilientStream(
            lambda next_request: self.observation.Subscribe(next_request),
            ObservationCursor(request, self._clock),
            self._reconnect,
            self._sleep,
        )

    def wait_for_input(
        self,
        runtime_id: str,
        input_id: str,
        until: Optional[Callable[[input_pb2.InputState], bool]] = None,
        timeout: Optional[float] = None,
    ) -> input_pb2.InputState:
        """Waits until an input satisfies ``until`` (default: a terminal phase) and returns its ledger record.

        Re-reads the input whenever a runtime event concerns it, and at least every ``input_poll_interval`` (so it
        also works where events cannot be watched). Raises ``TimeoutError`` after ``timeout`` seconds.
        """
        until = until or (lambda state: is_terminal(state.phase))
        deadline = None if timeout is None else time.monotonic() + timeout
        wake = threading.Event()
        events = self.watch_runtime_events(
            runtime_ids=[runtime_id], kinds=[control_plane.RUNTIME_EVENT_KIND_INPUT_TRANSITIONED])
        watcher = threading.Thread(target=_wake_on_input_events, args=(events, input_id, wake), daemon=True)
        watcher.start()
        try:
            while True:
                try:
                    reply = self.driver.GetInputState(
                        driver.GetInputStateRequest(runtime_id=runtime_id, input_id=input_id),
                        timeout=None if deadline is None else max(0.0, deadline - time.monotonic()))
                except RuntimeClientError as error:
                    if deadline is not None and error.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
                        raise TimeoutError(f"input {input_id} of runtime {runtime_id} did not finish in time") from error
                    raise
                if until(reply.state):
                    return reply.state
                wait = self._poll_interval
                if deadline is not None:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError(f"input {input_id} of runtime {runtime_id} did not finish in time "
                                           f"(phase {input_pb2.InputPhase.Name(reply.state.phase)})")
                    wait = min(wait, left)
                wake.wait(wait)
                wake.clear()
        finally:
            events.cancel()
            watcher.join(timeout=10)


def _wake_on_input_events(events: ResilientStream, input_id: str, wake: threading.Event) -> None:
    try:
        for message in events:
            # Heartbeats wake too: an event that happened before the watch started is caught on the next one.
            if message.WhichOneof("message") != "events" or any(e.input_id == input_id for e in message.events.events):
                wake.set()
    except RuntimeClientError:
        pass  # Events are an accelerator here, not a requirement: polling carries on.


def _target(address: str) -> str:
    for scheme in ("http://", "https://"):
        if address.startswith(scheme):
            return address[len(scheme):].rstrip("/")
    return address
