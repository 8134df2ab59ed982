from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
WIRE_KIND_GRPC: WireKind
WIRE_KIND_HTTP: WireKind
WIRE_KIND_INPROC: WireKind
WIRE_KIND_UNSPECIFIED: WireKind
WIRE_KIND_WEBSOCKET: WireKind
WIRE_STATE_CONNECTING: WireState
WIRE_STATE_FAILED: WireState
WIRE_STATE_IDLE: WireState
WIRE_STATE_READY: WireState
WIRE_STATE_UNSPECIFIED: WireState

class CloseDestinationRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class CloseDestinationResponse(_message.Message):
    __slots__ = ["connections_closed", "destination"]
    CONNECTIONS_CLOSED_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    connections_closed: int
    destination: Destination
    def __init__(self, destination: _Optional[_Union[Destination, _Mapping]] = ..., connections_closed: _Optional[int] = ...) -> None: ...

class CreateDestinationRequest(_message.Message):
    __slots__ = ["name", "wires"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WIRES_FIELD_NUMBER: _ClassVar[int]
    name: str
    wires: _containers.RepeatedCompositeFieldContainer[Wire]
    def __init__(self, name: _Optional[str] = ..., wires: _Optional[_Iterable[_Union[Wire, _Mapping]]] = ...) -> None: ...

class CreateDestinationResponse(_message.Message):
    __slots__ = ["destination"]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    destination: Destination
    def __init__(self, destination: _Optional[_Union[Destination, _Mapping]] = ...) -> None: ...

class DeleteDestinationRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteDestinationResponse(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class Destination(_message.Message):
    __slots__ = ["bound_runtimes", "create_time", "name", "wires"]
    BOUND_RUNTIMES_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WIRES_FIELD_NUMBER: _ClassVar[int]
    bound_runtimes: int
    create_time: _timestamp_pb2.Timestamp
    name: str
    wires: _containers.RepeatedCompositeFieldContainer[WireStatus]
    def __init__(self, name: _Optional[str] = ..., wires: _Optional[_Iterable[_Union[WireStatus, _Mapping]]] = ..., bound_runtimes: _Optional[int] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetDestinationRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetDestinationResponse(_message.Message):
    __slots__ = ["destination"]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    destination: Destination
    def __init__(self, destination: _Optional[_Union[Destination, _Mapping]] = ...) -> None: ...

class ListDestinationsRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDestinationsResponse(_message.Message):
    __slots__ = ["destinations", "next_page_token"]
    DESTINATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    destinations: _containers.RepeatedCompositeFieldContainer[Destination]
    next_page_token: str
    def __init__(self, destinations: _Optional[_Iterable[_Union[Destination, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Wire(_message.Message):
    __slots__ = ["address", "kind", "priority"]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    address: str
    kind: WireKind
    priority: int
    def __init__(self, kind: _Optional[_Union[WireKind, str]] = ..., address: _Optional[str] = ..., priority: _Optional[int] = ...) -> None: ...

class WireStatus(_message.Message):
    __slots__ = ["acked", "dropped", "failed", "in_flight", "last_error", "next_retry_time", "reconnect_attempts", "sent", "state", "wire"]
    ACKED_FIELD_NUMBER: _ClassVar[int]
    DROPPED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    NEXT_RETRY_TIME_FIELD_NUMBER: _ClassVar[int]
    RECONNECT_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    SENT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    WIRE_FIELD_NUMBER: _ClassVar[int]
    acked: int
    dropped: int
    failed: int
    in_flight: int
    last_error: str
    next_retry_time: _timestamp_pb2.Timestamp
    reconnect_attempts: int
    sent: int
    state: WireState
    wire: Wire
    def __init__(self, wire: _Optional[_Union[Wire, _Mapping]] = ..., state: _Optional[_Union[WireState, str]] = ..., last_error: _Optional[str] = ..., reconnect_attempts: _Optional[int] = ..., next_retry_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., sent: _Optional[int] = ..., acked: _Optional[int] = ..., failed: _Optional[int] = ..., in_flight: _Optional[int] = ..., dropped: _Optional[int] = ...) -> None: ...

class WireKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class WireState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
