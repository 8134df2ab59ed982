from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from runtime_client.v1 import common_pb2 as _common_pb2
from runtime_client.v1 import input_pb2 as _input_pb2
from runtime_client.v1 import policy_pb2 as _policy_pb2
from runtime_client.v1 import runtime_pb2 as _runtime_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
LIFECYCLE_OPERATION_DESTROY: LifecycleOperation
LIFECYCLE_OPERATION_RECOVER: LifecycleOperation
LIFECYCLE_OPERATION_RECYCLE: LifecycleOperation
LIFECYCLE_OPERATION_RESET: LifecycleOperation
LIFECYCLE_OPERATION_RETIRE: LifecycleOperation
LIFECYCLE_OPERATION_UNSPECIFIED: LifecycleOperation
RUNTIME_EVENT_KIND_INPUT_TRANSITIONED: RuntimeEventKind
RUNTIME_EVENT_KIND_PUBLISHED: RuntimeEventKind
RUNTIME_EVENT_KIND_RUNTIME_CREATED: RuntimeEventKind
RUNTIME_EVENT_KIND_RUNTIME_DESTROYED: RuntimeEventKind
RUNTIME_EVENT_KIND_RUNTIME_STATE_CHANGED: RuntimeEventKind
RUNTIME_EVENT_KIND_RUN_COMPLETED: RuntimeEventKind
RUNTIME_EVENT_KIND_RUN_FAILED: RuntimeEventKind
RUNTIME_EVENT_KIND_RUN_STARTED: RuntimeEventKind
RUNTIME_EVENT_KIND_TRANSPORT_CHANGED: RuntimeEventKind
RUNTIME_EVENT_KIND_UNSPECIFIED: RuntimeEventKind

class BoundaryReceipt(_message.Message):
    __slots__ = ["digest", "input_ids", "run_id", "runtime_id", "sequence", "time"]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    INPUT_IDS_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    digest: bytes
    input_ids: _containers.RepeatedScalarFieldContainer[str]
    run_id: str
    runtime_id: str
    sequence: int
    time: _timestamp_pb2.Timestamp
    def __init__(self, runtime_id: _Optional[str] = ..., run_id: _Optional[str] = ..., sequence: _Optional[int] = ..., input_ids: _Optional[_Iterable[str]] = ..., digest: _Optional[bytes] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateRuntimeRequest(_message.Message):
    __slots__ = ["destination", "labels", "policy", "runtime_id"]
    class LabelsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    destination: str
    labels: _containers.ScalarMap[str, str]
    policy: _policy_pb2.RuntimePolicy
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ..., destination: _Optional[str] = ..., policy: _Optional[_Union[_policy_pb2.RuntimePolicy, _Mapping]] = ..., labels: _Optional[_Mapping[str, str]] = ...) -> None: ...

class CreateRuntimeResponse(_message.Message):
    __slots__ = ["created", "runtime"]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_FIELD_NUMBER: _ClassVar[int]
    created: bool
    runtime: _runtime_pb2.Runtime
    def __init__(self, runtime: _Optional[_Union[_runtime_pb2.Runtime, _Mapping]] = ..., created: bool = ...) -> None: ...

class CustomEvent(_message.Message):
    __slots__ = ["attributes", "name"]
    class AttributesEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    attributes: _containers.ScalarMap[str, str]
    name: str
    def __init__(self, name: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ...) -> None: ...

class DestroyRuntimeRequest(_message.Message):
    __slots__ = ["runtime_id"]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ...) -> None: ...

class DestroyRuntimeResponse(_message.Message):
    __slots__ = ["report"]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: LifecycleReport
    def __init__(self, report: _Optional[_Union[LifecycleReport, _Mapping]] = ...) -> None: ...

class GetBoundaryReceiptRequest(_message.Message):
    __slots__ = ["run_id", "runtime_id", "sequence"]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    runtime_id: str
    sequence: int
    def __init__(self, runtime_id: _Optional[str] = ..., run_id: _Optional[str] = ..., sequence: _Optional[int] = ...) -> None: ...

class GetBoundaryReceiptResponse(_message.Message):
    __slots__ = ["receipt"]
    RECEIPT_FIELD_NUMBER: _ClassVar[int]
    receipt: BoundaryReceipt
    def __init__(self, receipt: _Optional[_Union[BoundaryReceipt, _Mapping]] = ...) -> None: ...

class GetRuntimeRequest(_message.Message):
    __slots__ = ["runtime_id"]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ...) -> None: ...

class GetRuntimeResponse(_message.Message):
    __slots__ = ["runtime"]
    RUNTIME_FIELD_NUMBER: _ClassVar[int]
    runtime: _runtime_pb2.Runtime
    def __init__(self, runtime: _Optional[_Union[_runtime_pb2.Runtime, _Mapping]] = ...) -> None: ...

class InputsAcknowledged(_message.Message):
    __slots__ = ["input_ids"]
    INPUT_IDS_FIELD_NUMBER: _ClassVar[int]
    input_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, input_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class LifecycleReport(_message.Message):
    __slots__ = ["complete_time", "inputs_abandoned", "inputs_consumed", "inputs_draining", "inputs_requeued", "inputs_transferred", "no_op", "operation", "previous_state", "runtime_id", "state"]
    COMPLETE_TIME_FIELD_NUMBER: _ClassVar[int]
    INPUTS_ABANDONED_FIELD_NUMBER: _ClassVar[int]
    INPUTS_CONSUMED_FIELD_NUMBER: _ClassVar[int]
    INPUTS_DRAINING_FIELD_NUMBER: _ClassVar[int]
    INPUTS_REQUEUED_FIELD_NUMBER: _ClassVar[int]
    INPUTS_TRANSFERRED_FIELD_NUMBER: _ClassVar[int]
    NO_OP_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATE_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    complete_time: _timestamp_pb2.Timestamp
    inputs_abandoned: int
    inputs_consumed: int
    inputs_draining: int
    inputs_requeued: int
    inputs_transferred: int
    no_op: bool
    operation: LifecycleOperation
    previous_state: _runtime_pb2.RuntimeState
    runtime_id: str
    state: _runtime_pb2.RuntimeState
    def __init__(self, runtime_id: _Optional[str] = ..., operation: _Optional[_Union[LifecycleOperation, str]] = ..., previous_state: _Optional[_Union[_runtime_pb2.RuntimeState, str]] = ..., state: _Optional[_Union[_runtime_pb2.RuntimeState, str]] = ..., no_op: bool = ..., inputs_abandoned: _Optional[int] = ..., inputs_requeued: _Optional[int] = ..., inputs_consumed: _Optional[int] = ..., inputs_transferred: _Optional[int] = ..., inputs_draining: _Optional[int] = ..., complete_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListRuntimesRequest(_message.Message):
    __slots__ = ["labels", "page_size", "page_token", "runtime_id_prefix", "states"]
    class LabelsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    LABELS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_PREFIX_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    labels: _containers.ScalarMap[str, str]
    page_size: int
    page_token: str
    runtime_id_prefix: str
    states: _containers.RepeatedScalarFieldContainer[_runtime_pb2.RuntimeState]
    def __init__(self, states: _Optional[_Iterable[_Union[_runtime_pb2.RuntimeState, str]]] = ..., labels: _Optional[_Mapping[str, str]] = ..., runtime_id_prefix: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRuntimesResponse(_message.Message):
    __slots__ = ["next_page_token", "runtimes"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RUNTIMES_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    runtimes: _containers.RepeatedCompositeFieldContainer[_runtime_pb2.Runtime]
    def __init__(self, runtimes: _Optional[_Iterable[_Union[_runtime_pb2.Runtime, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class PublishEventRequest(_message.Message):
    __slots__ = ["custom", "inputs_acknowledged", "run_completed", "run_failed", "runtime_id"]
    CUSTOM_FIELD_NUMBER: _ClassVar[int]
    INPUTS_ACKNOWLEDGED_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    RUN_FAILED_FIELD_NUMBER: _ClassVar[int]
    custom: CustomEvent
    inputs_acknowledged: InputsAcknowledged
    run_completed: RunCompleted
    run_failed: RunFailed
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ..., run_completed: _Optional[_Union[RunCompleted, _Mapping]] = ..., run_failed: _Optional[_Union[RunFailed, _Mapping]] = ..., inputs_acknowledged: _Optional[_Union[InputsAcknowledged, _Mapping]] = ..., custom: _Optional[_Union[CustomEvent, _Mapping]] = ...) -> None: ...

class PublishEventResponse(_message.Message):
    __slots__ = ["affected_input_ids", "inputs_abandoned", "inputs_consumed", "sequence"]
    AFFECTED_INPUT_IDS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_ABANDONED_FIELD_NUMBER: _ClassVar[int]
    INPUTS_CONSUMED_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    affected_input_ids: _containers.RepeatedScalarFieldContainer[str]
    inputs_abandoned: int
    inputs_consumed: int
    sequence: int
    def __init__(self, sequence: _Optional[int] = ..., affected_input_ids: _Optional[_Iterable[str]] = ..., inputs_consumed: _Optional[int] = ..., inputs_abandoned: _Optional[int] = ...) -> None: ...

class RecoverRuntimeRequest(_message.Message):
    __slots__ = ["runtime_id"]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ...) -> None: ...

class RecoverRuntimeResponse(_message.Message):
    __slots__ = ["report"]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: LifecycleReport
    def __init__(self, report: _Optional[_Union[LifecycleReport, _Mapping]] = ...) -> None: ...

class RecycleRuntimeRequest(_message.Message):
    __slots__ = ["runtime_id"]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ...) -> None: ...

class RecycleRuntimeResponse(_message.Message):
    __slots__ = ["report"]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: LifecycleReport
    def __init__(self, report: _Optional[_Union[LifecycleReport, _Mapping]] = ...) -> None: ...

class ResetRuntimeRequest(_message.Message):
    __slots__ = ["runtime_id"]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ...) -> None: ...

class ResetRuntimeResponse(_message.Message):
    __slots__ = ["report"]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: LifecycleReport
    def __init__(self, report: _Optional[_Union[LifecycleReport, _Mapping]] = ...) -> None: ...

class RetireRuntimeRequest(_message.Message):
    __slots__ = ["runtime_id"]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ...) -> None: ...

class RetireRuntimeResponse(_message.Message):
    __slots__ = ["report"]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: LifecycleReport
    def __init__(self, report: _Optional[_Union[LifecycleReport, _Mapping]] = ...) -> None: ...

class RunCompleted(_message.Message):
    __slots__ = ["run_id"]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    def __init__(self, run_id: _Optional[str] = ...) -> None: ...

class RunFailed(_message.Message):
    __slots__ = ["error", "permanent", "run_id"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    PERMANENT_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    error: str
    permanent: bool
    run_id: str
    def __init__(self, run_id: _Optional[str] = ..., error: _Optional[str] = ..., permanent: bool = ...) -> None: ...

class RuntimeEvent(_message.Message):
    __slots__ = ["attempt", "attributes", "bytes", "destination", "from_phase", "from_state", "input_id", "input_kind", "kind", "latency", "payload_type", "reason", "run_id", "runtime_id", "sequence", "time", "to_phase", "to_state"]
    class AttributesEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    FROM_PHASE_FIELD_NUMBER: _ClassVar[int]
    FROM_STATE_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LATENCY_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_TYPE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    TO_PHASE_FIELD_NUMBER: _ClassVar[int]
    TO_STATE_FIELD_NUMBER: _ClassVar[int]
    attempt: int
    attributes: _containers.ScalarMap[str, str]
    bytes: int
    destination: str
    from_phase: _input_pb2.InputPhase
    from_state: _runtime_pb2.RuntimeState
    input_id: str
    input_kind: str
    kind: RuntimeEventKind
    latency: _duration_pb2.Duration
    payload_type: _input_pb2.PayloadType
    reason: str
    run_id: str
    runtime_id: str
    sequence: int
    time: _timestamp_pb2.Timestamp
    to_phase: _input_pb2.InputPhase
    to_state: _runtime_pb2.RuntimeState
    def __init__(self, sequence: _Optional[int] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[_Union[RuntimeEventKind, str]] = ..., runtime_id: _Optional[str] = ..., input_id: _Optional[str] = ..., run_id: _Optional[str] = ..., destination: _Optional[str] = ..., input_kind: _Optional[str] = ..., from_phase: _Optional[_Union[_input_pb2.InputPhase, str]] = ..., to_phase: _Optional[_Union[_input_pb2.InputPhase, str]] = ..., from_state: _Optional[_Union[_runtime_pb2.RuntimeState, str]] = ..., to_state: _Optional[_Union[_runtime_pb2.RuntimeState, str]] = ..., payload_type: _Optional[_Union[_input_pb2.PayloadType, str]] = ..., bytes: _Optional[int] = ..., latency: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., attempt: _Optional[int] = ..., reason: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ...) -> None: ...

class RuntimeEventBatch(_message.Message):
    __slots__ = ["events"]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[RuntimeEvent]
    def __init__(self, events: _Optional[_Iterable[_Union[RuntimeEvent, _Mapping]]] = ...) -> None: ...

class WatchRuntimeEventsRequest(_message.Message):
    __slots__ = ["after_sequence", "filter", "kinds", "max_duration", "max_events", "runtime_ids"]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    MAX_DURATION_FIELD_NUMBER: _ClassVar[int]
    MAX_EVENTS_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_IDS_FIELD_NUMBER: _ClassVar[int]
    after_sequence: int
    filter: str
    kinds: _containers.RepeatedScalarFieldContainer[RuntimeEventKind]
    max_duration: _duration_pb2.Duration
    max_events: int
    runtime_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, runtime_ids: _Optional[_Iterable[str]] = ..., kinds: _Optional[_Iterable[_Union[RuntimeEventKind, str]]] = ..., filter: _Optional[str] = ..., after_sequence: _Optional[int] = ..., max_events: _Optional[int] = ..., max_duration: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class WatchRuntimeEventsResponse(_message.Message):
    __slots__ = ["events", "gap", "heartbeat"]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    events: RuntimeEventBatch
    gap: _common_pb2.Gap
    heartbeat: _common_pb2.Heartbeat
    def __init__(self, events: _Optional[_Union[RuntimeEventBatch, _Mapping]] = ..., gap: _Optional[_Union[_common_pb2.Gap, _Mapping]] = ..., heartbeat: _Optional[_Union[_common_pb2.Heartbeat, _Mapping]] = ...) -> None: ...

class LifecycleOperation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RuntimeEventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
