"""A channel interceptor that turns every grpc.RpcError into a RuntimeClientError."""

from __future__ import annotations

from typing import Any, Iterator

import grpc

from .errors import RuntimeClientError


class ErrorInterceptor(
    grpc.UnaryUnaryClientInterceptor,
    grpc.UnaryStreamClientInterceptor,
    grpc.StreamUnaryClientInterceptor,
    grpc.StreamStreamClientInterceptor,
):
    """Installed by RuntimeClient: failures of unary calls and of response streams surface typed."""

    def intercept_unary_unary(self, continuation, client_call_details, request):
        return _TypedOutcome(continuation(client_call_details, request))

    def intercept_stream_unary(self, continuation, client_call_details, request_iterator):
        return _TypedOutcome(continuation(client_call_details, request_iterator))

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return _TypedStream(continuation(client_call_details, request))

    def intercept_stream_stream(self, continuation, client_call_details, request_iterator):
        return _TypedStream(continuation(client_call_details, request_iterator))


class _TypedOutcome:
    """The outcome of a unary call (a grpc.Call and grpc.Future) whose failure raises typed."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def result(self, timeout=None):
        try:
            return self._inner.result(timeout)
        except grpc.RpcError as error:
            raise RuntimeClientError.from_rpc_error(error) from error

    def exception(self, timeout=None):
        error = self._inner.exception(timeout)
        return RuntimeClientError.from_rpc_error(error) if isinstance(error, grpc.RpcError) else error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _TypedStream:
    """A response stream (an iterator and a grpc.Call) whose failure raises typed."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        try:
            return next(self._inner)
        except grpc.RpcError as error:
            raise RuntimeClientError.from_rpc_error(error) from error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
