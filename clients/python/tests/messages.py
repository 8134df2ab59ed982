"""Short constructors for the stream messages the scripts send."""

from runtime_client.v1 import common_pb2, input_pb2
from runtime_client.v1 import control_plane_service_pb2 as cp
from runtime_client.v1 import observation_service_pb2 as obs


def events(*sequences: int) -> cp.WatchRuntimeEventsResponse:
    return cp.WatchRuntimeEventsResponse(events=cp.RuntimeEventBatch(events=[
        cp.RuntimeEvent(sequence=s, kind=cp.RUNTIME_EVENT_KIND_INPUT_TRANSITIONED, runtime_id="orders", input_id=f"in-{s}")
        for s in sequences]))


def input_event(sequence: int, input_id: str, to: int) -> cp.WatchRuntimeEventsResponse:
    return cp.WatchRuntimeEventsResponse(events=cp.RuntimeEventBatch(events=[cp.RuntimeEvent(
        sequence=sequence, kind=cp.RUNTIME_EVENT_KIND_INPUT_TRANSITIONED, runtime_id="orders", input_id=input_id,
        to_phase=to)]))


def event_gap(after: int, resume_at: int) -> cp.WatchRuntimeEventsResponse:
    return cp.WatchRuntimeEventsResponse(gap=common_pb2.Gap(reason=common_pb2.GAP_REASON_TRIMMED, after=after, resume_at=resume_at))


def event_heartbeat(position: int) -> cp.WatchRuntimeEventsResponse:
    return cp.WatchRuntimeEventsResponse(heartbeat=common_pb2.Heartbeat(position=position))


def snapshot(observer: str, cycle: int) -> obs.SubscribeResponse:
    return obs.SubscribeResponse(snapshot=obs.Snapshot(observer=observer, cycle=cycle, runtimes=obs.RuntimesSnapshot()))


def batch(observer: str, cycle: int) -> obs.SubscribeResponse:
    return obs.SubscribeResponse(batch=obs.Batch(observer=observer, cycle=cycle, events=[
        obs.ObservationEvent(kind="runtime.created", subject="orders")]))


def observation_gap(observer: str, after: int, resume_at: int) -> obs.SubscribeResponse:
    return obs.SubscribeResponse(gap=common_pb2.Gap(
        reason=common_pb2.GAP_REASON_TRIMMED, observer=observer, after=after, resume_at=resume_at))


def observation_heartbeat(position: int) -> obs.SubscribeResponse:
    return obs.SubscribeResponse(heartbeat=common_pb2.Heartbeat(position=position))


CONSUMED = input_pb2.INPUT_PHASE_CONSUMED
