"""Typed errors: the server's google.rpc.ErrorInfo and BadRequest decoded from grpc-status-details-bin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import grpc
from google.protobuf.message import DecodeError

from ._rpc_status import BadRequest, ErrorInfo, Status
from .v1 import common_pb2

_DETAILS_KEY = "grpc-status-details-bin"

#: Statuses worth reconnecting on: the server or the network went away, or the server shed load.
TRANSIENT_CODES = frozenset({
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
    grpc.StatusCode.ABORTED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
})


@dataclass(frozen=True)
class FieldViolation:
    """One request field that was missing or malformed."""

    field: str
    """Path of the field in the request, snake_case (for example ``input.payload``)."""
    description: str
    """What is wrong with it."""


class RuntimeClientError(grpc.RpcError):
    """A failed call to Runtime, with the server's ErrorInfo and BadRequest decoded.

    It is a ``grpc.RpcError`` with the usual ``code()``, ``details()`` and ``trailing_metadata()``, so code that
    catches those keeps working; branch on ``reason``, which is stable, rather than on the message.
    """

    def __init__(
        self,
        code: grpc.StatusCode,
        details: str,
        *,
        reason: str = "",
        domain: str = "",
        metadata: Optional[Mapping[str, str]] = None,
        field_violations: Sequence[FieldViolation] = (),
        status: Optional[Any] = None,
        trailing_metadata: Sequence[tuple] = (),
    ) -> None:
        super().__init__(f"{code.name} {reason}: {details}" if reason else f"{code.name}: {details}")
        self._code = code
        self._details = details
        self._trailing_metadata = tuple(trailing_metadata)
        #: Stable UPPER_SNAKE_CASE reason (for example ``RUNTIME_NOT_FOUND``); empty without ErrorInfo.
        self.reason = reason
        #: The ErrorInfo domain: ``runtime`` for Runtime's own errors.
        self.domain = domain
        #: Every dynamic value the message mentions (ErrorInfo metadata, for example ``runtime_id``).
        self.metadata = dict(metadata or {})
        #: The request fields that were missing or malformed (INVALID_ARGUMENT).
        self.field_violations = list(field_violations)
        #: The whole google.rpc.Status the server sent, if any.
        self.status = status

    def code(self) -> grpc.StatusCode:
        """The canonical gRPC status code."""
        return self._code

    def details(self) -> str:
        """The server's human-readable message."""
        return self._details

    def trailing_metadata(self) -> tuple:
        """The response trailers."""
        return self._trailing_metadata

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> "RuntimeClientError":
        """Decodes a failed call's rich status; returns the same object if it already is one."""
        if isinstance(error, RuntimeClientError):
            return error
        code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
        details = (error.details() if hasattr(error, "details") else str(error)) or ""
        trailers = tuple(error.trailing_metadata() or ()) if hasattr(error, "trailing_metadata") else ()
        status = _decode_status(trailers)
        info, violations = _decode_details(status)
        return cls(
            code,
            details,
            reason=info.reason if info else "",
            domain=info.domain if info else "",
            metadata=dict(info.metadata) if info else None,
            field_violations=violations,
            status=status,
            trailing_metadata=trailers,
        )

    @classmethod
    def from_error_detail(cls, detail: common_pb2.ErrorDetail) -> "RuntimeClientError":
        """The error for one refused item of a stream that answers errors per item (``AcceptInputStream``)."""
        return cls(
            _status_code(detail.code),
            detail.message,
            reason=detail.reason,
            domain="runtime",
            metadata=dict(detail.metadata),
            field_violations=[FieldViolation(v.field, v.description) for v in detail.field_violations],
        )


def _decode_status(trailers: Sequence[tuple]) -> Optional[Any]:
    for key, value in trailers:
        if key == _DETAILS_KEY:
            try:
                return Status.FromString(value)
            except DecodeError:
                return None  # A malformed detail must not hide the failure itself.
    return None


def _decode_details(status: Optional[Any]) -> tuple:
    info = None
    violations: list = []
    for detail in status.details if status is not None else ():
        if detail.Is(ErrorInfo.DESCRIPTOR) and info is None:
            info = ErrorInfo()
            detail.Unpack(info)
        elif detail.Is(BadRequest.DESCRIPTOR):
            bad = BadRequest()
            detail.Unpack(bad)
            violations.extend(FieldViolation(v.field, v.description) for v in bad.field_violations)
    return info, violations


def _status_code(number: int) -> grpc.StatusCode:
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code
    return grpc.StatusCode.UNKNOWN
