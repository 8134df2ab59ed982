from google.protobuf import timestamp_pb2 as _timestamp_pb2
from runtime_client.v1 import input_pb2 as _input_pb2
from runtime_client.v1 import policy_pb2 as _policy_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
RUNTIME_STATE_ATTACHED: RuntimeState
RUNTIME_STATE_DESTROYED: RuntimeState
RUNTIME_STATE_IDLE: RuntimeState
RUNTIME_STATE_INITIALIZING: RuntimeState
RUNTIME_STATE_RECOVERING: RuntimeState
RUNTIME_STATE_RETIRED: RuntimeState
RUNTIME_STATE_RUNNING: RuntimeState
RUNTIME_STATE_STOPPED: RuntimeState
RUNTIME_STATE_UNSPECIFIED: RuntimeState

class PhaseCount(_message.Message):
    __slots__ = ["count", "phase"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    count: int
    phase: _input_pb2.InputPhase
    def __init__(self, phase: _Optional[_Union[_input_pb2.InputPhase, str]] = ..., count: _Optional[int] = ...) -> None: ...

class Runtime(_message.Message):
    __slots__ = ["create_time", "destination", "in_flight", "labels", "phase_counts", "policy", "quarantine_reason", "quarantined", "queue_depth", "runtime_id", "state", "update_time"]
    class LabelsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    PHASE_COUNTS_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    QUARANTINED_FIELD_NUMBER: _ClassVar[int]
    QUARANTINE_REASON_FIELD_NUMBER: _ClassVar[int]
    QUEUE_DEPTH_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    create_time: _timestamp_pb2.Timestamp
    destination: str
    in_flight: int
    labels: _containers.ScalarMap[str, str]
    phase_counts: _containers.RepeatedCompositeFieldContainer[PhaseCount]
    policy: _policy_pb2.RuntimePolicy
    quarantine_reason: str
    quarantined: bool
    queue_depth: int
    runtime_id: str
    state: RuntimeState
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, runtime_id: _Optional[str] = ..., state: _Optional[_Union[RuntimeState, str]] = ..., destination: _Optional[str] = ..., policy: _Optional[_Union[_policy_pb2.RuntimePolicy, _Mapping]] = ..., labels: _Optional[_Mapping[str, str]] = ..., phase_counts: _Optional[_Iterable[_Union[PhaseCount, _Mapping]]] = ..., queue_depth: _Optional[int] = ..., in_flight: _Optional[int] = ..., quarantined: bool = ..., quarantine_reason: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RuntimeState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
