import threading

import grpc

from fake_server import RichError
from messages import input_event
from runtime_client import RuntimeClient, is_terminal
from runtime_client.v1 import control_plane_service_pb2 as cp
from runtime_client.v1 import input_pb2


def test_an_event_about_the_input_wakes_the_wait_long_before_the_poll_interval(fake):
    send_event = threading.Event()

    def watch(_request, context):
        send_event.wait(10)
        yield input_event(1, "in-1", input_pb2.INPUT_PHASE_CONSUMED)
        cancelled = threading.Event()
        context.add_callback(cancelled.set)
        cancelled.wait(10)

    fake.watch.then(watch)
    result = {}
    # An hour-long poll interval: only the event can wake the second read within the test's bound.
    with RuntimeClient(fake.address, input_poll_interval=3600) as client:
        waiter = threading.Thread(target=lambda: result.update(state=client.wait_for_input("orders", "in-1", timeout=20)))
        waiter.start()
        watch_request = fake.watch.next_request()
        assert fake.read_happened.wait(10)
        with fake.lock:
            fake.input_phase = input_pb2.INPUT_PHASE_CONSUMED
        send_event.set()
        waiter.join(timeout=15)

    assert result["state"].phase == input_pb2.INPUT_PHASE_CONSUMED
    assert list(watch_request.runtime_ids) == ["orders"]
    assert list(watch_request.kinds) == [cp.RUNTIME_EVENT_KIND_INPUT_TRANSITIONED]


def test_without_events_it_polls(fake):
    fake.watch.then_fail(RichError(grpc.StatusCode.PERMISSION_DENIED, "SCOPE_REQUIRED", "needs observe scope"))
    result = {}
    with RuntimeClient(fake.address, input_poll_interval=0.02) as client:
        waiter = threading.Thread(target=lambda: result.update(
            state=client.wait_for_input("orders", "in-1", until=lambda s: s.phase == input_pb2.INPUT_PHASE_APPLIED, timeout=20)))
        waiter.start()
        fake.watch.next_request()
        assert fake.read_happened.wait(10)
        with fake.lock:
            fake.input_phase = input_pb2.INPUT_PHASE_APPLIED
        waiter.join(timeout=15)

    assert result["state"].phase == input_pb2.INPUT_PHASE_APPLIED


def test_waiting_gives_up_after_the_timeout(fake):
    fake.watch.then_fail(RichError(grpc.StatusCode.PERMISSION_DENIED, "SCOPE_REQUIRED", "needs observe scope"))
    with RuntimeClient(fake.address, input_poll_interval=0.02) as client:
        try:
            client.wait_for_input("orders", "in-1", timeout=0.2)
            raise AssertionError("wait_for_input should have timed out")
        except TimeoutError as error:
            assert "in-1" in str(error)


def test_terminal_phases_are_the_ones_an_input_never_leaves():
    terminal = {"INPUT_PHASE_CONSUMED", "INPUT_PHASE_SUPERSEDED", "INPUT_PHASE_COALESCED", "INPUT_PHASE_ABANDONED"}
    for name, number in input_pb2.InputPhase.items():
        assert is_terminal(number) == (name in terminal), name
