from google.protobuf import timestamp_pb2 as _timestamp_pb2
from runtime_client.v1 import policy_pb2 as _policy_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ABANDON_REASON_CANCELLED: AbandonReason
ABANDON_REASON_DESTROYED: AbandonReason
ABANDON_REASON_MAX_ATTEMPTS_EXHAUSTED: AbandonReason
ABANDON_REASON_NEVER_EXECUTED: AbandonReason
ABANDON_REASON_RESET: AbandonReason
ABANDON_REASON_RETIRED: AbandonReason
ABANDON_REASON_STOPPED: AbandonReason
ABANDON_REASON_UNSPECIFIED: AbandonReason
DESCRIPTOR: _descriptor.FileDescriptor
INPUT_PHASE_ABANDONED: InputPhase
INPUT_PHASE_ACCEPTED: InputPhase
INPUT_PHASE_APPLIED: InputPhase
INPUT_PHASE_APPLIED_PENDING_CONSUMPTION: InputPhase
INPUT_PHASE_COALESCED: InputPhase
INPUT_PHASE_CONSUMED: InputPhase
INPUT_PHASE_QUEUED: InputPhase
INPUT_PHASE_STAGED: InputPhase
INPUT_PHASE_SUPERSEDED: InputPhase
INPUT_PHASE_UNSPECIFIED: InputPhase
PAYLOAD_TYPE_RPC_RELIABLE: PayloadType
PAYLOAD_TYPE_RPC_SIGNAL: PayloadType
PAYLOAD_TYPE_STREAM_LATENCY_FIRST: PayloadType
PAYLOAD_TYPE_STREAM_RELIABLE: PayloadType
PAYLOAD_TYPE_UNSPECIFIED: PayloadType

class Input(_message.Message):
    __slots__ = ["coalesce_key", "content_type", "headers", "idempotency_key", "input_id", "kind", "overrides", "payload", "payload_type", "priority", "supersession_key"]
    class HeadersEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    COALESCE_KEY_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OVERRIDES_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_TYPE_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    SUPERSESSION_KEY_FIELD_NUMBER: _ClassVar[int]
    coalesce_key: str
    content_type: str
    headers: _containers.ScalarMap[str, str]
    idempotency_key: str
    input_id: str
    kind: str
    overrides: InputOverrides
    payload: bytes
    payload_type: PayloadType
    priority: int
    supersession_key: str
    def __init__(self, input_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., kind: _Optional[str] = ..., payload: _Optional[bytes] = ..., content_type: _Optional[str] = ..., headers: _Optional[_Mapping[str, str]] = ..., payload_type: _Optional[_Union[PayloadType, str]] = ..., priority: _Optional[int] = ..., supersession_key: _Optional[str] = ..., coalesce_key: _Optional[str] = ..., overrides: _Optional[_Union[InputOverrides, _Mapping]] = ...) -> None: ...

class InputOverrides(_message.Message):
    __slots__ = ["consume_point", "max_attempts"]
    CONSUME_POINT_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    consume_point: _policy_pb2.ConsumePoint
    max_attempts: int
    def __init__(self, consume_point: _Optional[_Union[_policy_pb2.ConsumePoint, str]] = ..., max_attempts: _Optional[int] = ...) -> None: ...

class InputState(_message.Message):
    __slots__ = ["abandon_reason", "attempt_count", "coalesce_key", "content_type", "create_time", "headers", "history", "idempotency_key", "input_id", "kind", "last_boundary_sequence", "last_error", "last_run_id", "next_attempt_time", "payload", "payload_size", "payload_type", "phase", "priority", "recovery_count", "runtime_id", "supersession_key", "update_time"]
    class HeadersEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ABANDON_REASON_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_COUNT_FIELD_NUMBER: _ClassVar[int]
    COALESCE_KEY_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LAST_BOUNDARY_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    LAST_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_TIME_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_TYPE_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    RECOVERY_COUNT_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    SUPERSESSION_KEY_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    abandon_reason: AbandonReason
    attempt_count: int
    coalesce_key: str
    content_type: str
    create_time: _timestamp_pb2.Timestamp
    headers: _containers.ScalarMap[str, str]
    history: _containers.RepeatedCompositeFieldContainer[InputTransition]
    idempotency_key: str
    input_id: str
    kind: str
    last_boundary_sequence: int
    last_error: str
    last_run_id: str
    next_attempt_time: _timestamp_pb2.Timestamp
    payload: bytes
    payload_size: int
    payload_type: PayloadType
    phase: InputPhase
    priority: int
    recovery_count: int
    runtime_id: str
    supersession_key: str
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, input_id: _Optional[str] = ..., runtime_id: _Optional[str] = ..., kind: _Optional[str] = ..., phase: _Optional[_Union[InputPhase, str]] = ..., abandon_reason: _Optional[_Union[AbandonReason, str]] = ..., attempt_count: _Optional[int] = ..., recovery_count: _Optional[int] = ..., last_run_id: _Optional[str] = ..., last_boundary_sequence: _Optional[int] = ..., last_error: _Optional[str] = ..., history: _Optional[_Iterable[_Union[InputTransition, _Mapping]]] = ..., idempotency_key: _Optional[str] = ..., supersession_key: _Optional[str] = ..., coalesce_key: _Optional[str] = ..., priority: _Optional[int] = ..., payload_type: _Optional[_Union[PayloadType, str]] = ..., content_type: _Optional[str] = ..., headers: _Optional[_Mapping[str, str]] = ..., payload_size: _Optional[int] = ..., payload: _Optional[bytes] = ..., next_attempt_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class InputTransition(_message.Message):
    __slots__ = ["reason", "time", "to"]
    FROM_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    reason: str
    time: _timestamp_pb2.Timestamp
    to: InputPhase
    def __init__(self, time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., to: _Optional[_Union[InputPhase, str]] = ..., reason: _Optional[str] = ..., **kwargs) -> None: ...

class InputPhase(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class AbandonReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class PayloadType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
