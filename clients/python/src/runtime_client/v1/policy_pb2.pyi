from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

CONSUME_POINT_EXPLICIT_ACK: ConsumePoint
CONSUME_POINT_ON_ACCEPT: ConsumePoint
CONSUME_POINT_ON_APPLY: ConsumePoint
CONSUME_POINT_ON_RUN_COMPLETE: ConsumePoint
CONSUME_POINT_UNSPECIFIED: ConsumePoint
DESCRIPTOR: _descriptor.FileDescriptor
QUEUE_MODE_COALESCE: QueueMode
QUEUE_MODE_FIFO: QueueMode
QUEUE_MODE_PRIORITY: QueueMode
QUEUE_MODE_SUPERSEDE: QueueMode
QUEUE_MODE_UNSPECIFIED: QueueMode

class RetryBackoff(_message.Message):
    __slots__ = ["initial", "max", "multiplier"]
    INITIAL_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    MULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    initial: _duration_pb2.Duration
    max: _duration_pb2.Duration
    multiplier: float
    def __init__(self, initial: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., max: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., multiplier: _Optional[float] = ...) -> None: ...

class RuntimePolicy(_message.Message):
    __slots__ = ["consume_point", "max_attempts", "max_batch_per_run", "max_runs_in_flight", "queue_mode", "retry_backoff"]
    CONSUME_POINT_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    MAX_BATCH_PER_RUN_FIELD_NUMBER: _ClassVar[int]
    MAX_RUNS_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    QUEUE_MODE_FIELD_NUMBER: _ClassVar[int]
    RETRY_BACKOFF_FIELD_NUMBER: _ClassVar[int]
    consume_point: ConsumePoint
    max_attempts: int
    max_batch_per_run: int
    max_runs_in_flight: int
    queue_mode: QueueMode
    retry_backoff: RetryBackoff
    def __init__(self, queue_mode: _Optional[_Union[QueueMode, str]] = ..., consume_point: _Optional[_Union[ConsumePoint, str]] = ..., max_batch_per_run: _Optional[int] = ..., max_attempts: _Optional[int] = ..., retry_backoff: _Optional[_Union[RetryBackoff, _Mapping]] = ..., max_runs_in_flight: _Optional[int] = ...) -> None: ...

class QueueMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ConsumePoint(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
