import pytest

from fake_server import FakeServer
from real_server import RealServer
from runtime_client import ReconnectOptions, RuntimeClient

FAST_RECONNECT = ReconnectOptions(initial_delay=0.005, max_delay=0.02, jitter=False)


@pytest.fixture
def fake():
    server = FakeServer()
    yield server
    server.stop()


@pytest.fixture
def client(fake):
    with RuntimeClient(fake.address, reconnect=FAST_RECONNECT) as runtime:
        yield runtime


@pytest.fixture(scope="session")
def real_server():
    server = RealServer().start()
    yield server
    server.stop()
