import threading

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration

from fake_server import RichError
from messages import batch, event_gap, event_heartbeat, events, observation_gap, observation_heartbeat, snapshot
from runtime_client import ObservationCursor, ReconnectOptions, RuntimeClient, RuntimeClientError, RuntimeEventsCursor
from runtime_client.v1 import control_plane_service_pb2 as cp
from runtime_client.v1 import observation_service_pb2 as obs


def sequences(messages):
    return [e.sequence for m in messages if m.WhichOneof("message") == "events" for e in m.events.events]


def test_a_failed_stream_reconnects_and_resumes_after_the_last_sequence_delivered(fake, client):
    fake.watch.then_send_and_fail(events(1, 2))
    fake.watch.then_send_and_end(events(3))

    messages = list(client.watch_runtime_events(runtime_ids=["orders"]))

    assert sequences(messages) == [1, 2, 3]
    assert not fake.watch.next_request().HasField("after_sequence")
    resumed = fake.watch.next_request()
    assert resumed.after_sequence == 2
    assert list(resumed.runtime_ids) == ["orders"]


def test_gaps_reach_the_caller_and_resuming_starts_after_the_hole(fake, client):
    fake.watch.then_send_and_fail(event_gap(after=5, resume_at=10))
    fake.watch.then_send_and_end(events(10))

    messages = list(client.watch_runtime_events(after_sequence=5))

    assert [m.WhichOneof("message") for m in messages] == ["gap", "events"]
    assert fake.watch.next_request().after_sequence == 5
    assert fake.watch.next_request().after_sequence == 9


def test_heartbeats_advance_the_resume_point(fake, client):
    fake.watch.then_send_and_fail(event_heartbeat(41))
    fake.watch.then_send_and_end(events(42))

    list(client.watch_runtime_events())

    fake.watch.next_request()
    assert fake.watch.next_request().after_sequence == 41


def test_max_events_counts_across_reconnections_and_the_client_stops_once_it_is_reached(fake, client):
    fake.watch.then_send_and_fail(events(1, 2))
    # Were the client to read on after the limit, it would get a fourth event.
    fake.watch.then_send_and_fail(events(3), events(4))

    messages = list(client.watch_runtime_events(max_events=3))

    assert sequences(messages) == [1, 2, 3]
    assert fake.watch.next_request().max_events == 3
    assert fake.watch.next_request().max_events == 1


def test_a_non_transient_failure_ends_the_stream_with_a_typed_error_and_no_retry(fake, client):
    fake.watch.then_fail(RichError(grpc.StatusCode.INVALID_ARGUMENT, "FILTER_INVALID", "bad filter",
                                   [("filter", "unexpected token ')'")]))

    with pytest.raises(RuntimeClientError) as raised:
        list(client.watch_runtime_events(filter="("))

    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert raised.value.reason == "FILTER_INVALID"
    assert raised.value.field_violations[0].field == "filter"
    fake.watch.next_request()
    assert fake.watch.requests.empty()


def test_failed_connection_attempts_back_off_exponentially(fake):
    delays = []
    fake.watch.then_send_and_fail()
    fake.watch.then_send_and_fail()
    fake.watch.then_send_and_end(events(1))
    options = ReconnectOptions(initial_delay=1.0, max_delay=30.0, jitter=False)

    with RuntimeClient(fake.address, reconnect=options, sleep=delays.append) as client:
        messages = list(client.watch_runtime_events())

    assert delays == [1.0, 2.0]
    assert sequences(messages) == [1]


def test_giving_up_after_max_attempts_raises_the_last_failure(fake):
    fake.watch.then_send_and_fail()
    fake.watch.then_fail(RichError(grpc.StatusCode.UNAVAILABLE, "SERVER_SHUTTING_DOWN", "stopping"))
    options = ReconnectOptions(max_attempts=1, jitter=False)

    with RuntimeClient(fake.address, reconnect=options, sleep=lambda _: None) as client:
        with pytest.raises(RuntimeClientError) as raised:
            list(client.watch_runtime_events())

    assert raised.value.reason == "SERVER_SHUTTING_DOWN"


def test_cancel_ends_the_iteration_without_an_error(fake, client):
    def endless(_request, context):
        yield events(1)
        cancelled = threading.Event()
        context.add_callback(cancelled.set)
        cancelled.wait(10)

    fake.watch.then(endless)
    stream = client.watch_runtime_events()

    first = next(stream)
    stream.cancel()

    assert sequences([first]) == [1]
    assert list(stream) == []


def test_a_subscription_resumes_after_each_observers_last_cycle_without_asking_for_snapshots_again(fake, client):
    fake.subscriptions.then_send_and_fail(snapshot("runtimes", 0), snapshot("ledger", 2), batch("runtimes", 1), batch("ledger", 3))
    fake.subscriptions.then_send_and_end(batch("runtimes", 2))

    messages = list(client.subscribe(include_snapshot=True))

    assert len(messages) == 5
    assert fake.subscriptions.next_request().include_snapshot
    resumed = fake.subscriptions.next_request()
    assert not resumed.include_snapshot
    assert dict(resumed.after_cycle_by_observer) == {"runtimes": 1, "ledger": 3}


def test_a_gap_and_the_fresh_snapshot_after_it_reach_the_caller(fake, client):
    fake.subscriptions.then_send_and_end(observation_gap("runtimes", 4, 9), snapshot("runtimes", 9), batch("runtimes", 10))

    messages = list(client.subscribe(observers=["runtimes"], after_cycle=4))

    assert [m.WhichOneof("message") for m in messages] == ["gap", "snapshot", "batch"]


def test_max_messages_excludes_heartbeats(fake, client):
    fake.subscriptions.then_send_and_fail(observation_heartbeat(7), batch("runtimes", 8))
    fake.subscriptions.then_send_and_fail(observation_heartbeat(8), batch("runtimes", 9), batch("runtimes", 10))

    messages = list(client.subscribe(observers=["runtimes"], max_messages=2))

    assert [m.batch.cycle for m in messages if m.WhichOneof("message") == "batch"] == [8, 9]
    fake.subscriptions.next_request()
    resumed = fake.subscriptions.next_request()
    assert resumed.max_messages == 1
    assert resumed.after_cycle_by_observer["runtimes"] == 8


def test_the_event_resume_point_never_moves_backwards():
    cursor = RuntimeEventsCursor(cp.WatchRuntimeEventsRequest())
    cursor.delivered(events(7, 8))
    cursor.delivered(event_heartbeat(3))
    assert cursor.next_request().after_sequence == 8


def test_max_duration_is_what_is_left_of_the_callers_budget():
    now = [100.0]
    cursor = RuntimeEventsCursor(cp.WatchRuntimeEventsRequest(max_duration=Duration(seconds=10)), clock=lambda: now[0])
    now[0] += 4
    assert cursor.next_request().max_duration.ToNanoseconds() == 6_000_000_000
    assert not cursor.exhausted
    now[0] += 6
    assert cursor.exhausted


def test_a_heartbeat_moves_the_cycle_only_when_one_observer_is_followed():
    many = ObservationCursor(obs.SubscribeRequest())
    one = ObservationCursor(obs.SubscribeRequest(observers=["ledger"]))
    many.delivered(observation_heartbeat(5))
    one.delivered(observation_heartbeat(5))
    assert many.cycles == {}
    assert one.cycles == {"ledger": 5}


def test_backoff_grows_exponentially_up_to_the_cap_and_jitter_stays_within_half():
    options = ReconnectOptions(initial_delay=0.1, max_delay=1.0, jitter=False)
    assert [round(options.delay(a), 3) for a in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    jittered = ReconnectOptions(initial_delay=0.1, max_delay=1.0, jitter=True)
    assert jittered.delay(2, rand=lambda: 0.0) == pytest.approx(0.2)
    assert jittered.delay(2, rand=lambda: 1.0) == pytest.approx(0.4)
