"""Runtime's Python client: generated stubs of ``runtime.v1`` (``runtime_client.v1``), typed errors, resilient
subscriptions (``watch_runtime_events``, ``subscribe``) and ``wait_for_input``."""

from .client import RuntimeClient, TERMINAL_PHASES, is_terminal
from .errors import TRANSIENT_CODES, FieldViolation, RuntimeClientError
from .streams import ObservationCursor, ReconnectOptions, ResilientStream, RuntimeEventsCursor

__all__ = [
    "FieldViolation",
    "ObservationCursor",
    "ReconnectOptions",
    "ResilientStream",
    "RuntimeClient",
    "RuntimeClientError",
    "RuntimeEventsCursor",
    "TERMINAL_PHASES",
    "TRANSIENT_CODES",
    "is_terminal",
]
