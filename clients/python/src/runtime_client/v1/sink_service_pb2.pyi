from google.protobuf import duration_pb2 as _duration_pb2
from runtime_client.v1 import input_pb2 as _input_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DELIVERY_ACK_STATUS_ACKED: DeliveryAckStatus
DELIVERY_ACK_STATUS_REJECTED: DeliveryAckStatus
DELIVERY_ACK_STATUS_RETRY: DeliveryAckStatus
DELIVERY_ACK_STATUS_UNSPECIFIED: DeliveryAckStatus
DESCRIPTOR: _descriptor.FileDescriptor

class DeliverRequest(_message.Message):
    __slots__ = ["attempt", "delivery_id", "items", "run_id", "runtime_id"]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_ID_FIELD_NUMBER: _ClassVar[int]
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    attempt: int
    delivery_id: int
    items: _containers.RepeatedCompositeFieldContainer[DeliveryItem]
    run_id: str
    runtime_id: str
    def __init__(self, delivery_id: _Optional[int] = ..., runtime_id: _Optional[str] = ..., run_id: _Optional[str] = ..., attempt: _Optional[int] = ..., items: _Optional[_Iterable[_Union[DeliveryItem, _Mapping]]] = ...) -> None: ...

class DeliverResponse(_message.Message):
    __slots__ = ["delivery_id", "error", "retry_after", "status"]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RETRY_AFTER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    delivery_id: int
    error: str
    retry_after: _duration_pb2.Duration
    status: DeliveryAckStatus
    def __init__(self, delivery_id: _Optional[int] = ..., status: _Optional[_Union[DeliveryAckStatus, str]] = ..., error: _Optional[str] = ..., retry_after: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class DeliveryItem(_message.Message):
    __slots__ = ["content_type", "headers", "input_id", "kind", "payload", "payload_type"]
    class HeadersEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_TYPE_FIELD_NUMBER: _ClassVar[int]
    content_type: str
    headers: _containers.ScalarMap[str, str]
    input_id: str
    kind: str
    payload: bytes
    payload_type: _input_pb2.PayloadType
    def __init__(self, input_id: _Optional[str] = ..., kind: _Optional[str] = ..., payload: _Optional[bytes] = ..., content_type: _Optional[str] = ..., headers: _Optional[_Mapping[str, str]] = ..., payload_type: _Optional[_Union[_input_pb2.PayloadType, str]] = ...) -> None: ...

class DeliveryAckStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
