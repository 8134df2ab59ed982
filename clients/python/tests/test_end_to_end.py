"""The README's example against the real server: a runtime bound to the built-in ``inproc:accept`` destination, an
input followed to CONSUMED, its events, observation batches and typed errors."""

import uuid

import grpc
import pytest

from runtime_client import RuntimeClient, RuntimeClientError
from runtime_client.v1 import control_plane_service_pb2 as control_plane
from runtime_client.v1 import driver_service_pb2 as driver
from runtime_client.v1 import input_pb2

BOUND = 30  # seconds: every wait below ends by itself well before this


@pytest.fixture
def runtime(real_server):
    with RuntimeClient(real_server.address) as client:
        yield client


def test_an_accepted_input_is_followed_to_consumed_and_its_events_are_watched(runtime):
    runtime_id = f"python-e2e-{uuid.uuid4().hex}"
    created = runtime.control_plane.CreateRuntime(control_plane.CreateRuntimeRequest(
        runtime_id=runtime_id, destination="inproc:accept", labels={"suite": "python"}), timeout=BOUND)
    assert created.runtime.runtime_id == runtime_id

    accepted = runtime.driver.AcceptInput(driver.AcceptInputRequest(runtime_id=runtime_id, input=input_pb2.Input(
        input_id="order-1", kind="order.created", payload=b'{"id":1}', content_type="application/json")), timeout=BOUND)
    assert accepted.outcome == driver.ACCEPT_OUTCOME_ACCEPTED

    state = runtime.wait_for_input(runtime_id, accepted.input_id, timeout=BOUND)
    assert state.phase == input_pb2.INPUT_PHASE_CONSUMED
    assert any(t.to == input_pb2.INPUT_PHASE_QUEUED for t in state.history)

    # max_events ends the stream by itself after exactly two events, the first being the acceptance.
    stream = runtime.watch_runtime_events(
        runtime_ids=[runtime_id], kinds=[control_plane.RUNTIME_EVENT_KIND_INPUT_TRANSITIONED],
        after_sequence=0, max_events=2, max_duration={"seconds": BOUND})
    events = [e for m in stream if m.WhichOneof("message") == "events" for e in m.events.events]
    assert len(events) == 2
    assert all(e.input_id == "order-1" for e in events)
    assert events[0].to_phase == input_pb2.INPUT_PHASE_ACCEPTED
    assert events[1].sequence > events[0].sequence


def test_the_runtimes_observer_sends_a_snapshot_then_a_batch_about_a_new_runtime(runtime):
    runtime_id = f"python-observed-{uuid.uuid4().hex}"
    stream = runtime.subscribe(observers=["runtimes"], include_snapshot=True, max_messages=100,
                               max_duration={"seconds": BOUND})
    try:
        first = next(stream)
        assert first.WhichOneof("message") == "snapshot"
        assert first.snapshot.observer == "runtimes"

        runtime.control_plane.CreateRuntime(
            control_plane.CreateRuntimeRequest(runtime_id=runtime_id, destination="inproc:accept"), timeout=BOUND)

        mentioning = next(m.batch for m in stream
                          if m.WhichOneof("message") == "batch" and any(runtime_id in e.subject for e in m.batch.events))
        assert mentioning.observer == "runtimes"
    finally:
        stream.cancel()


def test_an_unknown_runtime_fails_with_the_runtime_not_found_reason(runtime):
    with pytest.raises(RuntimeClientError) as raised:
        runtime.control_plane.GetRuntime(control_plane.GetRuntimeRequest(runtime_id="no-such-runtime"), timeout=BOUND)

    assert raised.value.code() == grpc.StatusCode.NOT_FOUND
    assert raised.value.reason == "RUNTIME_NOT_FOUND"
    assert raised.value.domain == "runtime"
    assert raised.value.metadata["runtime_id"] == "no-such-runtime"


def test_a_bad_field_fails_with_invalid_argument_and_names_the_field(runtime):
    with pytest.raises(RuntimeClientError) as raised:
        runtime.control_plane.CreateRuntime(
            control_plane.CreateRuntimeRequest(runtime_id="", destination="inproc:accept"), timeout=BOUND)

    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert raised.value.reason == "INVALID_FIELD"
    assert any(v.field == "runtime_id" for v in raised.value.field_violations)
