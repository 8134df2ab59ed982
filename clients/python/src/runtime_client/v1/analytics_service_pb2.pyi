from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
EVENT_CATEGORY_INPUT_LIFECYCLE: EventCategory
EVENT_CATEGORY_PUBLISHED: EventCategory
EVENT_CATEGORY_RUNTIME_STATE: EventCategory
EVENT_CATEGORY_RUN_LIFECYCLE: EventCategory
EVENT_CATEGORY_TRANSPORT: EventCategory
EVENT_CATEGORY_UNSPECIFIED: EventCategory
RATE_TREND_FALLING: RateTrend
RATE_TREND_RISING: RateTrend
RATE_TREND_STABLE: RateTrend
RATE_TREND_UNSPECIFIED: RateTrend
STATS_METRIC_ABANDONED: StatsMetric
STATS_METRIC_ACCEPTED: StatsMetric
STATS_METRIC_BYTES: StatsMetric
STATS_METRIC_CONSUMED: StatsMetric
STATS_METRIC_FAILED_ATTEMPTS: StatsMetric
STATS_METRIC_UNSPECIFIED: StatsMetric
STATS_ORDER_LATENCY: StatsOrder
STATS_ORDER_RATE: StatsOrder
STATS_ORDER_UNSPECIFIED: StatsOrder
TRIE_WEIGHT_BYTES: TrieWeight
TRIE_WEIGHT_COUNT: TrieWeight
TRIE_WEIGHT_LATENCY: TrieWeight
TRIE_WEIGHT_UNSPECIFIED: TrieWeight

class ConfigureTrieRequest(_message.Message):
    __slots__ = ["fields", "weight"]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedScalarFieldContainer[str]
    weight: TrieWeight
    def __init__(self, fields: _Optional[_Iterable[str]] = ..., weight: _Optional[_Union[TrieWeight, str]] = ...) -> None: ...

class ConfigureTrieResponse(_message.Message):
    __slots__ = ["version"]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: int
    def __init__(self, version: _Optional[int] = ...) -> None: ...

class GetFilterRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetFilterResponse(_message.Message):
    __slots__ = ["changed_at", "epoch", "filter"]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    changed_at: _timestamp_pb2.Timestamp
    epoch: int
    filter: str
    def __init__(self, filter: _Optional[str] = ..., epoch: _Optional[int] = ..., changed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetRecordingStatusRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetRecordingStatusResponse(_message.Message):
    __slots__ = ["status"]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: RecordingStatus
    def __init__(self, status: _Optional[_Union[RecordingStatus, _Mapping]] = ...) -> None: ...

class GetStatsRequest(_message.Message):
    __slots__ = ["order", "top_n"]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    TOP_N_FIELD_NUMBER: _ClassVar[int]
    order: StatsOrder
    top_n: int
    def __init__(self, top_n: _Optional[int] = ..., order: _Optional[_Union[StatsOrder, str]] = ...) -> None: ...

class GetStatsResponse(_message.Message):
    __slots__ = ["accept_to_consume", "delivery", "destinations", "filter_epoch", "last_sequence", "rates", "runtimes", "time", "totals", "window"]
    ACCEPT_TO_CONSUME_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    DESTINATIONS_FIELD_NUMBER: _ClassVar[int]
    FILTER_EPOCH_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    RATES_FIELD_NUMBER: _ClassVar[int]
    RUNTIMES_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    accept_to_consume: LatencyDistribution
    delivery: LatencyDistribution
    destinations: _containers.RepeatedCompositeFieldContainer[StatsRow]
    filter_epoch: int
    last_sequence: int
    rates: _containers.RepeatedCompositeFieldContainer[MetricRate]
    runtimes: _containers.RepeatedCompositeFieldContainer[StatsRow]
    time: _timestamp_pb2.Timestamp
    totals: StatsCounters
    window: _duration_pb2.Duration
    def __init__(self, time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., window: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., last_sequence: _Optional[int] = ..., filter_epoch: _Optional[int] = ..., totals: _Optional[_Union[StatsCounters, _Mapping]] = ..., rates: _Optional[_Iterable[_Union[MetricRate, _Mapping]]] = ..., accept_to_consume: _Optional[_Union[LatencyDistribution, _Mapping]] = ..., delivery: _Optional[_Union[LatencyDistribution, _Mapping]] = ..., runtimes: _Optional[_Iterable[_Union[StatsRow, _Mapping]]] = ..., destinations: _Optional[_Iterable[_Union[StatsRow, _Mapping]]] = ...) -> None: ...

class GetTrieRequest(_message.Message):
    __slots__ = ["include_folded_stacks", "keep_top"]
    INCLUDE_FOLDED_STACKS_FIELD_NUMBER: _ClassVar[int]
    KEEP_TOP_FIELD_NUMBER: _ClassVar[int]
    include_folded_stacks: bool
    keep_top: int
    def __init__(self, keep_top: _Optional[int] = ..., include_folded_stacks: bool = ...) -> None: ...

class GetTrieResponse(_message.Message):
    __slots__ = ["fields", "folded_stacks", "last_sequence", "root", "since", "time", "version", "weight"]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    FOLDED_STACKS_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ROOT_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedScalarFieldContainer[str]
    folded_stacks: str
    last_sequence: int
    root: TrieNode
    since: _timestamp_pb2.Timestamp
    time: _timestamp_pb2.Timestamp
    version: int
    weight: TrieWeight
    def __init__(self, version: _Optional[int] = ..., fields: _Optional[_Iterable[str]] = ..., weight: _Optional[_Union[TrieWeight, str]] = ..., since: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_sequence: _Optional[int] = ..., root: _Optional[_Union[TrieNode, _Mapping]] = ..., folded_stacks: _Optional[str] = ...) -> None: ...

class LatencyBucket(_message.Message):
    __slots__ = ["count", "upper_bound"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    UPPER_BOUND_FIELD_NUMBER: _ClassVar[int]
    count: int
    upper_bound: _duration_pb2.Duration
    def __init__(self, upper_bound: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., count: _Optional[int] = ...) -> None: ...

class LatencyDistribution(_message.Message):
    __slots__ = ["buckets", "count", "max", "mean", "min", "p50", "p95", "p99"]
    BUCKETS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    MEAN_FIELD_NUMBER: _ClassVar[int]
    MIN_FIELD_NUMBER: _ClassVar[int]
    P50_FIELD_NUMBER: _ClassVar[int]
    P95_FIELD_NUMBER: _ClassVar[int]
    P99_FIELD_NUMBER: _ClassVar[int]
    buckets: _containers.RepeatedCompositeFieldContainer[LatencyBucket]
    count: int
    max: _duration_pb2.Duration
    mean: _duration_pb2.Duration
    min: _duration_pb2.Duration
    p50: _duration_pb2.Duration
    p95: _duration_pb2.Duration
    p99: _duration_pb2.Duration
    def __init__(self, count: _Optional[int] = ..., min: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., mean: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., p50: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., p95: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., p99: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., max: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., buckets: _Optional[_Iterable[_Union[LatencyBucket, _Mapping]]] = ...) -> None: ...

class ListProbesRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListProbesResponse(_message.Message):
    __slots__ = ["probes"]
    PROBES_FIELD_NUMBER: _ClassVar[int]
    probes: _containers.RepeatedCompositeFieldContainer[Probe]
    def __init__(self, probes: _Optional[_Iterable[_Union[Probe, _Mapping]]] = ...) -> None: ...

class MetricRate(_message.Message):
    __slots__ = ["change_percent", "metric", "per_second", "trend"]
    CHANGE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    TREND_FIELD_NUMBER: _ClassVar[int]
    change_percent: float
    metric: StatsMetric
    per_second: float
    trend: RateTrend
    def __init__(self, metric: _Optional[_Union[StatsMetric, str]] = ..., per_second: _Optional[float] = ..., trend: _Optional[_Union[RateTrend, str]] = ..., change_percent: _Optional[float] = ...) -> None: ...

class Probe(_message.Message):
    __slots__ = ["category", "description", "enabled"]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    category: EventCategory
    description: str
    enabled: bool
    def __init__(self, category: _Optional[_Union[EventCategory, str]] = ..., enabled: bool = ..., description: _Optional[str] = ...) -> None: ...

class RecordingStatus(_message.Message):
    __slots__ = ["active", "last_error", "path", "rows_dropped", "rows_written", "started_at", "stopped_at"]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    ROWS_DROPPED_FIELD_NUMBER: _ClassVar[int]
    ROWS_WRITTEN_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STOPPED_AT_FIELD_NUMBER: _ClassVar[int]
    active: bool
    last_error: str
    path: str
    rows_dropped: int
    rows_written: int
    started_at: _timestamp_pb2.Timestamp
    stopped_at: _timestamp_pb2.Timestamp
    def __init__(self, active: bool = ..., path: _Optional[str] = ..., rows_written: _Optional[int] = ..., rows_dropped: _Optional[int] = ..., last_error: _Optional[str] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., stopped_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ResetTrieRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ResetTrieResponse(_message.Message):
    __slots__ = ["version"]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    version: int
    def __init__(self, version: _Optional[int] = ...) -> None: ...

class SetFilterRequest(_message.Message):
    __slots__ = ["filter"]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    filter: str
    def __init__(self, filter: _Optional[str] = ...) -> None: ...

class SetFilterResponse(_message.Message):
    __slots__ = ["changed_at", "epoch", "filter"]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    changed_at: _timestamp_pb2.Timestamp
    epoch: int
    filter: str
    def __init__(self, filter: _Optional[str] = ..., epoch: _Optional[int] = ..., changed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SetProbeRequest(_message.Message):
    __slots__ = ["category", "enabled"]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    category: EventCategory
    enabled: bool
    def __init__(self, category: _Optional[_Union[EventCategory, str]] = ..., enabled: bool = ...) -> None: ...

class SetProbeResponse(_message.Message):
    __slots__ = ["probe"]
    PROBE_FIELD_NUMBER: _ClassVar[int]
    probe: Probe
    def __init__(self, probe: _Optional[_Union[Probe, _Mapping]] = ...) -> None: ...

class StartRecordingRequest(_message.Message):
    __slots__ = ["name"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class StartRecordingResponse(_message.Message):
    __slots__ = ["status"]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: RecordingStatus
    def __init__(self, status: _Optional[_Union[RecordingStatus, _Mapping]] = ...) -> None: ...

class StatsCounters(_message.Message):
    __slots__ = ["abandoned", "accepted", "bytes", "consumed", "failed_attempts"]
    ABANDONED_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    CONSUMED_FIELD_NUMBER: _ClassVar[int]
    FAILED_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    abandoned: int
    accepted: int
    bytes: int
    consumed: int
    failed_attempts: int
    def __init__(self, accepted: _Optional[int] = ..., consumed: _Optional[int] = ..., abandoned: _Optional[int] = ..., failed_attempts: _Optional[int] = ..., bytes: _Optional[int] = ...) -> None: ...

class StatsRow(_message.Message):
    __slots__ = ["consumed_per_second", "key", "max_latency", "mean_latency", "totals"]
    CONSUMED_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    MAX_LATENCY_FIELD_NUMBER: _ClassVar[int]
    MEAN_LATENCY_FIELD_NUMBER: _ClassVar[int]
    TOTALS_FIELD_NUMBER: _ClassVar[int]
    consumed_per_second: float
    key: str
    max_latency: _duration_pb2.Duration
    mean_latency: _duration_pb2.Duration
    totals: StatsCounters
    def __init__(self, key: _Optional[str] = ..., totals: _Optional[_Union[StatsCounters, _Mapping]] = ..., consumed_per_second: _Optional[float] = ..., mean_latency: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., max_latency: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class StopRecordingRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class StopRecordingResponse(_message.Message):
    __slots__ = ["status"]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: RecordingStatus
    def __init__(self, status: _Optional[_Union[RecordingStatus, _Mapping]] = ...) -> None: ...

class TrieNode(_message.Message):
    __slots__ = ["children", "count", "name", "weight"]
    CHILDREN_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    children: _containers.RepeatedCompositeFieldContainer[TrieNode]
    count: int
    name: str
    weight: int
    def __init__(self, name: _Optional[str] = ..., weight: _Optional[int] = ..., count: _Optional[int] = ..., children: _Optional[_Iterable[_Union[TrieNode, _Mapping]]] = ...) -> None: ...

class StatsOrder(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class StatsMetric(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RateTrend(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class TrieWeight(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class EventCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
