from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from runtime_client.v1 import common_pb2 as _common_pb2
from runtime_client.v1 import runtime_pb2 as _runtime_pb2
from runtime_client.v1 import transport_service_pb2 as _transport_service_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
FAILURE_STAGE_POLL: FailureStage
FAILURE_STAGE_SOURCE_REFRESH: FailureStage
FAILURE_STAGE_UNSPECIFIED: FailureStage

class Batch(_message.Message):
    __slots__ = ["cycle", "events", "observer", "source_count", "time"]
    CYCLE_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    OBSERVER_FIELD_NUMBER: _ClassVar[int]
    SOURCE_COUNT_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    cycle: int
    events: _containers.RepeatedCompositeFieldContainer[ObservationEvent]
    observer: str
    source_count: int
    time: _timestamp_pb2.Timestamp
    def __init__(self, observer: _Optional[str] = ..., cycle: _Optional[int] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., events: _Optional[_Iterable[_Union[ObservationEvent, _Mapping]]] = ..., source_count: _Optional[int] = ...) -> None: ...

class CycleFailure(_message.Message):
    __slots__ = ["cycle", "message", "observer", "source_count", "stage", "time"]
    CYCLE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    OBSERVER_FIELD_NUMBER: _ClassVar[int]
    SOURCE_COUNT_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    cycle: int
    message: str
    observer: str
    source_count: int
    stage: FailureStage
    time: _timestamp_pb2.Timestamp
    def __init__(self, observer: _Optional[str] = ..., cycle: _Optional[int] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., source_count: _Optional[int] = ..., stage: _Optional[_Union[FailureStage, str]] = ..., message: _Optional[str] = ...) -> None: ...

class GetHistoryRequest(_message.Message):
    __slots__ = ["after_cycle", "filter", "observer", "page_size"]
    AFTER_CYCLE_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    OBSERVER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    after_cycle: int
    filter: str
    observer: str
    page_size: int
    def __init__(self, observer: _Optional[str] = ..., after_cycle: _Optional[int] = ..., page_size: _Optional[int] = ..., filter: _Optional[str] = ...) -> None: ...

class GetHistoryResponse(_message.Message):
    __slots__ = ["batches", "current_cycle", "gap", "truncated"]
    BATCHES_FIELD_NUMBER: _ClassVar[int]
    CURRENT_CYCLE_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    batches: _containers.RepeatedCompositeFieldContainer[Batch]
    current_cycle: int
    gap: _common_pb2.Gap
    truncated: bool
    def __init__(self, batches: _Optional[_Iterable[_Union[Batch, _Mapping]]] = ..., truncated: bool = ..., current_cycle: _Optional[int] = ..., gap: _Optional[_Union[_common_pb2.Gap, _Mapping]] = ...) -> None: ...

class GetSnapshotRequest(_message.Message):
    __slots__ = ["filter", "observer"]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    OBSERVER_FIELD_NUMBER: _ClassVar[int]
    filter: str
    observer: str
    def __init__(self, observer: _Optional[str] = ..., filter: _Optional[str] = ...) -> None: ...

class GetSnapshotResponse(_message.Message):
    __slots__ = ["last_failure", "snapshot"]
    LAST_FAILURE_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    last_failure: CycleFailure
    snapshot: Snapshot
    def __init__(self, snapshot: _Optional[_Union[Snapshot, _Mapping]] = ..., last_failure: _Optional[_Union[CycleFailure, _Mapping]] = ...) -> None: ...

class LatencySummary(_message.Message):
    __slots__ = ["count", "max", "p50", "p95", "p99"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    P50_FIELD_NUMBER: _ClassVar[int]
    P95_FIELD_NUMBER: _ClassVar[int]
    P99_FIELD_NUMBER: _ClassVar[int]
    count: int
    max: _duration_pb2.Duration
    p50: _duration_pb2.Duration
    p95: _duration_pb2.Duration
    p99: _duration_pb2.Duration
    def __init__(self, count: _Optional[int] = ..., p50: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., p95: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., p99: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., max: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class LedgerSnapshot(_message.Message):
    __slots__ = ["abandoned_per_second", "abandoned_total", "accept_to_consume", "accepted_per_second", "accepted_total", "consumed_per_second", "consumed_total", "last_interval_accept_to_consume", "missed_events"]
    ABANDONED_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    ABANDONED_TOTAL_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_TOTAL_FIELD_NUMBER: _ClassVar[int]
    ACCEPT_TO_CONSUME_FIELD_NUMBER: _ClassVar[int]
    CONSUMED_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    CONSUMED_TOTAL_FIELD_NUMBER: _ClassVar[int]
    LAST_INTERVAL_ACCEPT_TO_CONSUME_FIELD_NUMBER: _ClassVar[int]
    MISSED_EVENTS_FIELD_NUMBER: _ClassVar[int]
    abandoned_per_second: float
    abandoned_total: int
    accept_to_consume: LatencySummary
    accepted_per_second: float
    accepted_total: int
    consumed_per_second: float
    consumed_total: int
    last_interval_accept_to_consume: LatencySummary
    missed_events: int
    def __init__(self, accepted_per_second: _Optional[float] = ..., consumed_per_second: _Optional[float] = ..., abandoned_per_second: _Optional[float] = ..., accepted_total: _Optional[int] = ..., consumed_total: _Optional[int] = ..., abandoned_total: _Optional[int] = ..., accept_to_consume: _Optional[_Union[LatencySummary, _Mapping]] = ..., last_interval_accept_to_consume: _Optional[_Union[LatencySummary, _Mapping]] = ..., missed_events: _Optional[int] = ...) -> None: ...

class ListObserversRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListObserversResponse(_message.Message):
    __slots__ = ["active_subscriptions", "observers", "total_delivered", "total_dropped", "total_dropped_subscribers", "total_gaps", "total_resyncs", "total_subscriptions"]
    ACTIVE_SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    OBSERVERS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_DELIVERED_FIELD_NUMBER: _ClassVar[int]
    TOTAL_DROPPED_FIELD_NUMBER: _ClassVar[int]
    TOTAL_DROPPED_SUBSCRIBERS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_GAPS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_RESYNCS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    active_subscriptions: int
    observers: _containers.RepeatedCompositeFieldContainer[ObserverInfo]
    total_delivered: int
    total_dropped: int
    total_dropped_subscribers: int
    total_gaps: int
    total_resyncs: int
    total_subscriptions: int
    def __init__(self, observers: _Optional[_Iterable[_Union[ObserverInfo, _Mapping]]] = ..., total_resyncs: _Optional[int] = ..., total_dropped_subscribers: _Optional[int] = ..., active_subscriptions: _Optional[int] = ..., total_subscriptions: _Optional[int] = ..., total_delivered: _Optional[int] = ..., total_dropped: _Optional[int] = ..., total_gaps: _Optional[int] = ...) -> None: ...

class ObservationEvent(_message.Message):
    __slots__ = ["attributes", "kind", "subject"]
    class AttributesEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    attributes: _containers.ScalarMap[str, str]
    kind: str
    subject: str
    def __init__(self, kind: _Optional[str] = ..., subject: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ...) -> None: ...

class ObserverInfo(_message.Message):
    __slots__ = ["current_cycle", "description", "first_cycle", "history_count", "history_limit", "interval", "last_batch_cycle", "last_failure", "name", "oldest_cycle", "snapshot_cycle", "subscriptions"]
    CURRENT_CYCLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FIRST_CYCLE_FIELD_NUMBER: _ClassVar[int]
    HISTORY_COUNT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_LIMIT_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_FIELD_NUMBER: _ClassVar[int]
    LAST_BATCH_CYCLE_FIELD_NUMBER: _ClassVar[int]
    LAST_FAILURE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OLDEST_CYCLE_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_CYCLE_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    current_cycle: int
    description: str
    first_cycle: int
    history_count: int
    history_limit: int
    interval: _duration_pb2.Duration
    last_batch_cycle: int
    last_failure: CycleFailure
    name: str
    oldest_cycle: int
    snapshot_cycle: int
    subscriptions: _containers.RepeatedCompositeFieldContainer[SubscriptionStatus]
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., interval: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., history_limit: _Optional[int] = ..., current_cycle: _Optional[int] = ..., oldest_cycle: _Optional[int] = ..., last_failure: _Optional[_Union[CycleFailure, _Mapping]] = ..., subscriptions: _Optional[_Iterable[_Union[SubscriptionStatus, _Mapping]]] = ..., first_cycle: _Optional[int] = ..., last_batch_cycle: _Optional[int] = ..., history_count: _Optional[int] = ..., snapshot_cycle: _Optional[int] = ...) -> None: ...

class RuntimeRow(_message.Message):
    __slots__ = ["destination", "labels", "phase_counts", "queue_depth", "runtime_id", "state"]
    class LabelsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    PHASE_COUNTS_FIELD_NUMBER: _ClassVar[int]
    QUEUE_DEPTH_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    destination: str
    labels: _containers.ScalarMap[str, str]
    phase_counts: _containers.RepeatedCompositeFieldContainer[_runtime_pb2.PhaseCount]
    queue_depth: int
    runtime_id: str
    state: _runtime_pb2.RuntimeState
    def __init__(self, runtime_id: _Optional[str] = ..., state: _Optional[_Union[_runtime_pb2.RuntimeState, str]] = ..., queue_depth: _Optional[int] = ..., phase_counts: _Optional[_Iterable[_Union[_runtime_pb2.PhaseCount, _Mapping]]] = ..., labels: _Optional[_Mapping[str, str]] = ..., destination: _Optional[str] = ...) -> None: ...

class RuntimesSnapshot(_message.Message):
    __slots__ = ["runtimes", "state_counts", "total_queue_depth"]
    RUNTIMES_FIELD_NUMBER: _ClassVar[int]
    STATE_COUNTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_QUEUE_DEPTH_FIELD_NUMBER: _ClassVar[int]
    runtimes: _containers.RepeatedCompositeFieldContainer[RuntimeRow]
    state_counts: _containers.RepeatedCompositeFieldContainer[StateCount]
    total_queue_depth: int
    def __init__(self, state_counts: _Optional[_Iterable[_Union[StateCount, _Mapping]]] = ..., runtimes: _Optional[_Iterable[_Union[RuntimeRow, _Mapping]]] = ..., total_queue_depth: _Optional[int] = ...) -> None: ...

class Snapshot(_message.Message):
    __slots__ = ["cycle", "ledger", "observer", "runtimes", "source_count", "time", "transports"]
    CYCLE_FIELD_NUMBER: _ClassVar[int]
    LEDGER_FIELD_NUMBER: _ClassVar[int]
    OBSERVER_FIELD_NUMBER: _ClassVar[int]
    RUNTIMES_FIELD_NUMBER: _ClassVar[int]
    SOURCE_COUNT_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    TRANSPORTS_FIELD_NUMBER: _ClassVar[int]
    cycle: int
    ledger: LedgerSnapshot
    observer: str
    runtimes: RuntimesSnapshot
    source_count: int
    time: _timestamp_pb2.Timestamp
    transports: TransportsSnapshot
    def __init__(self, observer: _Optional[str] = ..., cycle: _Optional[int] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., runtimes: _Optional[_Union[RuntimesSnapshot, _Mapping]] = ..., transports: _Optional[_Union[TransportsSnapshot, _Mapping]] = ..., ledger: _Optional[_Union[LedgerSnapshot, _Mapping]] = ..., source_count: _Optional[int] = ...) -> None: ...

class StateCount(_message.Message):
    __slots__ = ["count", "state"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    count: int
    state: _runtime_pb2.RuntimeState
    def __init__(self, state: _Optional[_Union[_runtime_pb2.RuntimeState, str]] = ..., count: _Optional[int] = ...) -> None: ...

class SubscribeRequest(_message.Message):
    __slots__ = ["after_cycle", "after_cycle_by_observer", "filter", "include_snapshot", "max_duration", "max_messages", "observers"]
    class AfterCycleByObserverEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    AFTER_CYCLE_BY_OBSERVER_FIELD_NUMBER: _ClassVar[int]
    AFTER_CYCLE_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    MAX_DURATION_FIELD_NUMBER: _ClassVar[int]
    MAX_MESSAGES_FIELD_NUMBER: _ClassVar[int]
    OBSERVERS_FIELD_NUMBER: _ClassVar[int]
    after_cycle: int
    after_cycle_by_observer: _containers.ScalarMap[str, int]
    filter: str
    include_snapshot: bool
    max_duration: _duration_pb2.Duration
    max_messages: int
    observers: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, observers: _Optional[_Iterable[str]] = ..., include_snapshot: bool = ..., after_cycle: _Optional[int] = ..., filter: _Optional[str] = ..., max_messages: _Optional[int] = ..., max_duration: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., after_cycle_by_observer: _Optional[_Mapping[str, int]] = ...) -> None: ...

class SubscribeResponse(_message.Message):
    __slots__ = ["batch", "failure", "gap", "heartbeat", "snapshot"]
    BATCH_FIELD_NUMBER: _ClassVar[int]
    FAILURE_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    batch: Batch
    failure: CycleFailure
    gap: _common_pb2.Gap
    heartbeat: _common_pb2.Heartbeat
    snapshot: Snapshot
    def __init__(self, snapshot: _Optional[_Union[Snapshot, _Mapping]] = ..., batch: _Optional[_Union[Batch, _Mapping]] = ..., gap: _Optional[_Union[_common_pb2.Gap, _Mapping]] = ..., heartbeat: _Optional[_Union[_common_pb2.Heartbeat, _Mapping]] = ..., failure: _Optional[_Union[CycleFailure, _Mapping]] = ...) -> None: ...

class SubscriptionStatus(_message.Message):
    __slots__ = ["delivered", "dropped", "gaps", "heartbeats", "lag", "lag_cycles", "observers", "open_time", "overflows", "resyncs", "subscription_id"]
    DELIVERED_FIELD_NUMBER: _ClassVar[int]
    DROPPED_FIELD_NUMBER: _ClassVar[int]
    GAPS_FIELD_NUMBER: _ClassVar[int]
    HEARTBEATS_FIELD_NUMBER: _ClassVar[int]
    LAG_CYCLES_FIELD_NUMBER: _ClassVar[int]
    LAG_FIELD_NUMBER: _ClassVar[int]
    OBSERVERS_FIELD_NUMBER: _ClassVar[int]
    OPEN_TIME_FIELD_NUMBER: _ClassVar[int]
    OVERFLOWS_FIELD_NUMBER: _ClassVar[int]
    RESYNCS_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    delivered: int
    dropped: int
    gaps: int
    heartbeats: int
    lag: int
    lag_cycles: int
    observers: _containers.RepeatedScalarFieldContainer[str]
    open_time: _timestamp_pb2.Timestamp
    overflows: int
    resyncs: int
    subscription_id: str
    def __init__(self, subscription_id: _Optional[str] = ..., observers: _Optional[_Iterable[str]] = ..., delivered: _Optional[int] = ..., lag: _Optional[int] = ..., resyncs: _Optional[int] = ..., dropped: _Optional[int] = ..., lag_cycles: _Optional[int] = ..., overflows: _Optional[int] = ..., gaps: _Optional[int] = ..., heartbeats: _Optional[int] = ..., open_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TransportsSnapshot(_message.Message):
    __slots__ = ["destinations"]
    DESTINATIONS_FIELD_NUMBER: _ClassVar[int]
    destinations: _containers.RepeatedCompositeFieldContainer[_transport_service_pb2.Destination]
    def __init__(self, destinations: _Optional[_Iterable[_Union[_transport_service_pb2.Destination, _Mapping]]] = ...) -> None: ...

class FailureStage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
