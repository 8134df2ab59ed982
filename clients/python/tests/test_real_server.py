from runtime_client import RuntimeClient
from runtime_client._rpc_status import health_pb2


def test_the_client_reaches_the_real_server_over_h2c(real_server):
    with RuntimeClient(real_server.address) as client:
        reply = client.health.Check(health_pb2.HealthCheckRequest(), timeout=10)

    assert reply.status == health_pb2.HealthCheckResponse.SERVING
