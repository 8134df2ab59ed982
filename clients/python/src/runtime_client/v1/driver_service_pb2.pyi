from runtime_client.v1 import common_pb2 as _common_pb2
from runtime_client.v1 import input_pb2 as _input_pb2
from runtime_client.v1 import runtime_pb2 as _runtime_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ACCEPT_OUTCOME_ACCEPTED: AcceptOutcome
ACCEPT_OUTCOME_DEDUPLICATED: AcceptOutcome
ACCEPT_OUTCOME_REJECTED: AcceptOutcome
ACCEPT_OUTCOME_UNSPECIFIED: AcceptOutcome
DESCRIPTOR: _descriptor.FileDescriptor

class AcceptInputRequest(_message.Message):
    __slots__ = ["input", "runtime_id"]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    input: _input_pb2.Input
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ..., input: _Optional[_Union[_input_pb2.Input, _Mapping]] = ...) -> None: ...

class AcceptInputResponse(_message.Message):
    __slots__ = ["existing_input_id", "input_id", "outcome", "phase", "reason"]
    EXISTING_INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    existing_input_id: str
    input_id: str
    outcome: AcceptOutcome
    phase: _input_pb2.InputPhase
    reason: str
    def __init__(self, outcome: _Optional[_Union[AcceptOutcome, str]] = ..., input_id: _Optional[str] = ..., phase: _Optional[_Union[_input_pb2.InputPhase, str]] = ..., existing_input_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class AcceptInputStreamRequest(_message.Message):
    __slots__ = ["correlation_id", "input", "inputs", "runtime_id"]
    CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    correlation_id: int
    input: _input_pb2.Input
    inputs: _containers.RepeatedCompositeFieldContainer[_input_pb2.Input]
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ..., input: _Optional[_Union[_input_pb2.Input, _Mapping]] = ..., correlation_id: _Optional[int] = ..., inputs: _Optional[_Iterable[_Union[_input_pb2.Input, _Mapping]]] = ...) -> None: ...

class AcceptInputStreamResponse(_message.Message):
    __slots__ = ["accepted", "correlation_id", "error", "results"]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    accepted: AcceptInputResponse
    correlation_id: int
    error: _common_pb2.ErrorDetail
    results: _containers.RepeatedCompositeFieldContainer[AcceptInputStreamResult]
    def __init__(self, correlation_id: _Optional[int] = ..., accepted: _Optional[_Union[AcceptInputResponse, _Mapping]] = ..., error: _Optional[_Union[_common_pb2.ErrorDetail, _Mapping]] = ..., results: _Optional[_Iterable[_Union[AcceptInputStreamResult, _Mapping]]] = ...) -> None: ...

class AcceptInputStreamResult(_message.Message):
    __slots__ = ["accepted", "error"]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    accepted: AcceptInputResponse
    error: _common_pb2.ErrorDetail
    def __init__(self, accepted: _Optional[_Union[AcceptInputResponse, _Mapping]] = ..., error: _Optional[_Union[_common_pb2.ErrorDetail, _Mapping]] = ...) -> None: ...

class GetInputStateRequest(_message.Message):
    __slots__ = ["include_payload", "input_id", "runtime_id"]
    INCLUDE_PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    include_payload: bool
    input_id: str
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ..., input_id: _Optional[str] = ..., include_payload: bool = ...) -> None: ...

class GetInputStateResponse(_message.Message):
    __slots__ = ["state"]
    STATE_FIELD_NUMBER: _ClassVar[int]
    state: _input_pb2.InputState
    def __init__(self, state: _Optional[_Union[_input_pb2.InputState, _Mapping]] = ...) -> None: ...

class GetRuntimeStateRequest(_message.Message):
    __slots__ = ["runtime_id"]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ...) -> None: ...

class GetRuntimeStateResponse(_message.Message):
    __slots__ = ["accepting", "current_run_id", "in_flight", "queue_depth", "runtime_id", "state"]
    ACCEPTING_FIELD_NUMBER: _ClassVar[int]
    CURRENT_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    QUEUE_DEPTH_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    accepting: bool
    current_run_id: str
    in_flight: int
    queue_depth: int
    runtime_id: str
    state: _runtime_pb2.RuntimeState
    def __init__(self, runtime_id: _Optional[str] = ..., state: _Optional[_Union[_runtime_pb2.RuntimeState, str]] = ..., queue_depth: _Optional[int] = ..., in_flight: _Optional[int] = ..., current_run_id: _Optional[str] = ..., accepting: bool = ...) -> None: ...

class ListInputsRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "phases", "runtime_id"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PHASES_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    phases: _containers.RepeatedScalarFieldContainer[_input_pb2.InputPhase]
    runtime_id: str
    def __init__(self, runtime_id: _Optional[str] = ..., phases: _Optional[_Iterable[_Union[_input_pb2.InputPhase, str]]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListInputsResponse(_message.Message):
    __slots__ = ["inputs", "next_page_token"]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    inputs: _containers.RepeatedCompositeFieldContainer[_input_pb2.InputState]
    next_page_token: str
    def __init__(self, inputs: _Optional[_Iterable[_Union[_input_pb2.InputState, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AcceptOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
