"""Resilient server streams: reconnect with backoff, resume after the last position delivered, surface gaps."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from typing import Callable, Dict, Generic, Iterator, Optional, Protocol, TypeVar

import grpc
from google.protobuf.duration_pb2 import Duration

from .errors import TRANSIENT_CODES, RuntimeClientError
from .v1 import control_plane_service_pb2 as control_plane
from .v1 import observation_service_pb2 as observation

Req = TypeVar("Req")
Res = TypeVar("Res")


@dataclass(frozen=True)
class ReconnectOptions:
    """Backoff of failed connection attempts in a row (a stream that broke after delivering reconnects at once)."""

    initial_delay: float = 0.2
    """Delay before the first retry, in seconds."""
    max_delay: float = 30.0
    """Upper bound of the delay, in seconds."""
    max_attempts: Optional[int] = None
    """Failed attempts in a row before the stream raises; None = never gives up."""
    jitter: bool = True
    """Randomise delays so many clients do not reconnect in lockstep."""

    def delay(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        """The delay before retry number ``attempt`` (0-based): exponential, capped, "equal jitter" when asked."""
        delay = min(self.max_delay, self.initial_delay * 2**attempt)
        return delay / 2 + rand() * delay / 2 if self.jitter else delay


class StreamCursor(Protocol[Req, Res]):
    """Remembers how far a resumable stream got and what is left of the caller's limits."""

    @property
    def exhausted(self) -> bool:
        """True when the caller's limits are used up: the stream is complete, do not reconnect."""

    def next_request(self) -> Req:
        """The request for the next connection: the caller's request, resuming after what was delivered."""

    def delivered(self, message: Res) -> None:
        """Records a message handed to the caller."""


class ResilientStream(Generic[Req, Res]):
    """An iterator over a resumable server stream across reconnections.

    On a transient failure it reconnects (failed attempts back off) and asks the server to resume after the last
    position delivered. Every server message, gaps included, reaches the caller: a gap is the server's statement of
    a hole, and hiding it would make it a silent one. ``cancel()`` (from any thread) ends the iteration.
    """

    def __init__(
        self,
        open_call: Callable[[Req], Iterator[Res]],
        cursor: StreamCursor,
        reconnect: ReconnectOptions,
        sleep: Optional[Callable[[float], None]] = None,
    ) -> None:
        self._open = open_call
        self._cursor = cursor
        self._reconnect = reconnect
        self._cancelled = threading.Event()
        self._sleep = sleep or self._cancelled.wait
        self._lock = threading.Lock()
        self._call: Optional[Iterator[Res]] = None
        self._messages = self._run()

    def __iter__(self) -> "ResilientStream[Req, Res]":
        return self

    def __next__(self) -> Res:
        return next(self._messages)

    def cancel(self) -> None:
        """Stops the stream: the iteration ends (without an error) as soon as it notices."""
        self._cancelled.set()
        with self._lock:
            call = self._call
        if call is not None:
            call.cancel()

    def _run(self) -> Iterator[Res]:
        failures = 0
        while not self._cursor.exhausted and not self._cancelled.is_set():
            call = self._open(self._cursor.next_request())
            with self._lock:
                self._call = call
            if self._cancelled.is_set():
                call.cancel()
            connected = False
            try:
                for message in call:
                    connected = True
                    failures = 0
                    self._cursor.delivered(message)
                    yield message
                    if self._cursor.exhausted:
                        return
                return  # The server ended the stream with OK: the caller's limits were reached.
            except grpc.RpcError as error:
                failure = RuntimeClientError.from_rpc_error(error)
                if self._cancelled.is_set():
                    return
                if failure.code() not in TRANSIENT_CODES:
                    raise failure from error
                if not connected:
                    if self._reconnect.max_attempts is not None and failures >= self._reconnect.max_attempts:
                        raise failure from error
                    self._sleep(self._reconnect.delay(failures))
                    failures += 1
            finally:
                call.cancel()
                with self._lock:
                    self._call = None


class _Limits:
    """A caller's max-count and max-duration limits, counted across every connection of one stream."""

    def __init__(self, max_count: int, max_duration: Optional[float], clock: Callable[[], float]) -> None:
        self._max_count = max_count
        self._max_duration = max_duration
        self._clock = clock
        self._started = clock()
        self._delivered = 0

    @property
    def exhausted(self) -> bool:
        return (self._max_count > 0 and self._delivered >= self._max_count) or (
            self._max_duration is not None and self._clock() - self._started >= self._max_duration)

    def count(self, items: int) -> None:
        self._delivered += items

    def remaining_count(self) -> int:
        return 0 if self._max_count == 0 else max(1, self._max_count - self._delivered)

    def apply_remaining_duration(self, field: Duration) -> None:
        if self._max_duration is not None:
            field.FromNanoseconds(int(max(0.0, self._max_duration - (self._clock() - self._started)) * 1e9))


class RuntimeEventsCursor:
    """Resume point of a WatchRuntimeEvents stream: the last global sequence delivered, and the limits left."""

    def __init__(self, request: control_plane.WatchRuntimeEventsRequest, clock: Callable[[], float] = time.monotonic):
        self._request = request
        max_duration = request.max_duration.ToNanoseconds() / 1e9 if request.HasField("max_duration") else None
        self._limits = _Limits(request.max_events, max_duration, clock)
        #: The sequence the next connection resumes after; None while nothing told us where the stream is.
        self.position: Optional[int] = request.after_sequence if request.HasField("after_sequence") else None

    @property
    def exhausted(self) -> bool:
        return self._limits.exhausted

    def next_request(self) -> control_plane.WatchRuntimeEventsRequest:
        request = control_plane.WatchRuntimeEventsRequest()
        request.CopyFrom(self._request)
        if self.position is not None:
            request.after_sequence = self.position
        request.max_events = self._limits.remaining_count()
        self._limits.apply_remaining_duration(request.max_duration)
        return request

    def delivered(self, message: control_plane.WatchRuntimeEventsResponse) -> None:
        kind = message.WhichOneof("message")
        if kind == "events" and message.events.events:
            self._advance(message.events.events[-1].sequence)
            self._limits.count(len(message.events.events))
        elif kind == "gap" and message.gap.resume_at > 0:
            # The caller has been told about the hole; resuming must not report it again.
            self._advance(message.gap.resume_at - 1)
        elif kind == "heartbeat":
            self._advance(message.heartbeat.position)

    def _advance(self, sequence: int) -> None:
        self.position = sequence if self.position is None else max(self.position, sequence)


class ObservationCursor:
    """Resume point of an observation Subscribe stream: the last cycle per observer, and the limits left."""

    def __init__(self, request: observation.SubscribeRequest, clock: Callable[[], float] = time.monotonic):
        self._request = request
        max_duration = request.max_duration.ToNanoseconds() / 1e9 if request.HasField("max_duration") else None
        self._limits = _Limits(request.max_messages, max_duration, clock)
        #: The last cycle delivered per observer.
        self.cycles: Dict[str, int] = {}

    @property
    def exhausted(self) -> bool:
        return self._limits.exhausted

    def next_request(self) -> observation.SubscribeRequest:
        request = observation.SubscribeRequest()
        request.CopyFrom(self._request)
        for name, cycle in self.cycles.items():
            request.after_cycle_by_observer[name] = cycle
        if self.cycles:
            # The caller already has its snapshots; resuming asks only for what followed them.
            request.include_snapshot = False
        request.max_messages = self._limits.remaining_count()
        self._limits.apply_remaining_duration(request.max_duration)
        return request

    def delivered(self, message: observation.SubscribeResponse) -> None:
        kind = message.WhichOneof("message")
        if kind in ("snapshot", "batch", "failure"):
            part = getattr(message, kind)
            self._advance(part.observer, part.cycle)
        elif kind == "gap" and message.gap.resume_at > 0 and message.gap.observer:
            self._advance(message.gap.observer, message.gap.resume_at - 1)
        elif kind == "heartbeat" and len(self._request.observers) == 1:
            # A heartbeat's position is a cycle, meaningful only when the stream follows a single observer.
            self._advance(self._request.observers[0], message.heartbeat.position)
        if kind is not None and kind != "heartbeat":
            self._limits.count(1)

    def _advance(self, name: str, cycle: int) -> None:
        self.cycles[name] = max(self.cycles.get(name, cycle), cycle)
