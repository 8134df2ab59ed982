"""google.rpc.Status, ErrorInfo, BadRequest and grpc.health.v1: the installed googleapis-common-protos and
grpcio-health-checking when present (one definition per process), else the copies generated into this package."""

try:
    from google.rpc.error_details_pb2 import BadRequest, ErrorInfo
    from google.rpc.status_pb2 import Status
except ImportError:
    from ._proto.google.rpc.error_details_pb2 import BadRequest, ErrorInfo
    from ._proto.google.rpc.status_pb2 import Status

try:
    from grpc_health.v1 import health_pb2, health_pb2_grpc
except ImportError:
    from ._proto.grpc.health.v1 import health_pb2, health_pb2_grpc

__all__ = ["BadRequest", "ErrorInfo", "Status", "health_pb2", "health_pb2_grpc"]
