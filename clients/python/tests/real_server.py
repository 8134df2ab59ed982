"""The real Runtime server binary as a child process on a free loopback port with a temporary data directory.

Built in Release first if it is not there. RUNTIME_TEST_ADDRESS points the tests at a running server instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

import grpc

from runtime_client import RuntimeClient
from runtime_client._rpc_status import health_pb2

REPOSITORY = Path(__file__).resolve().parents[3]


class RealServer:
    def __init__(self) -> None:
        self.address: str = os.environ.get("RUNTIME_TEST_ADDRESS", "")
        self._process: Optional[subprocess.Popen] = None
        self._data: Optional[str] = None
        self._log = None

    def start(self) -> "RealServer":
        if self.address:
            return self
        dll = Path(os.environ.get("RUNTIME_SERVER_DLL",
                                  REPOSITORY / "src/Runtime.Server/bin/Release/net10.0/Runtime.Server.dll"))
        if not dll.exists():
            subprocess.run(["dotnet", "build", str(REPOSITORY / "src/Runtime.Server"), "-c", "Release", "-nologo"],
                           check=True, timeout=600)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self._data = tempfile.mkdtemp(prefix="runtime-py-tests-")
        self._log = tempfile.TemporaryFile()
        # The server reads appsettings.json (HTTP/2-only endpoints) from its working directory: start it beside its dll.
        # Console off: its fixed default port would collide between servers started side by side.
        self._process = subprocess.Popen(
            ["dotnet", str(dll), "--urls", f"http://127.0.0.1:{port}"],
            cwd=dll.parent,
            env={**os.environ, "Runtime__DataDirectory": self._data, "Runtime__Console__Enabled": "false"},
            stdout=self._log, stderr=subprocess.STDOUT)
        self.address = f"127.0.0.1:{port}"
        try:
            self._wait_until_serving(30)
        except Exception:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=20)
        if self._data:
            shutil.rmtree(self._data, ignore_errors=True)
        if self._log:
            self._log.close()

    def _output(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def _wait_until_serving(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with RuntimeClient(self.address) as client:
            while time.monotonic() < deadline:
                if self._process.poll() is not None:
                    raise RuntimeError(f"the server exited with {self._process.returncode}:\n{self._output()}")
                try:
                    reply = client.health.Check(health_pb2.HealthCheckRequest(), timeout=2)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        return
                except grpc.RpcError:
                    pass  # Not listening yet.
                time.sleep(0.1)
        raise TimeoutError(f"the server did not become healthy within {timeout} s:\n{self._output()}")
