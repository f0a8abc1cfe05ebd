"""`smartnotes edit` (`make edit`): the browser editor on this machine, for as long as it runs.

Two processes on 127.0.0.1, both stopped together (Ctrl-C, or either one ending):

- Decap's local proxy, ``decap-server`` from node_modules, in the project folder: the editor at
  ``/admin/`` reads and writes the working tree through it (its ``fs`` mode: plain files, no commits);
- ``mkdocs serve``: the site with drafts and live reload, where ``/admin/`` loads the editor's script
  from node_modules (``editor_self_host: serve``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

PROXY = "node_modules/decap-server/dist/index.js"


class EditingError(Exception):
    pass


def port_taken(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def start_proxy(root: Path, port: int, **popen) -> subprocess.Popen:
    """decap-server on 127.0.0.1:``port``, reading and writing ``root``."""
    node = shutil.which("node")
    if node is None:
        raise EditingError("node is not installed — install Node.js 20 or later (make edit installs npm's node)")
    if not (root / PROXY).is_file():
        raise EditingError(f"{PROXY} is missing — run `npm ci --ignore-scripts` in {root} (make edit does)")
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs", "GIT_REPO_DIRECTORY": str(root)}
    return subprocess.Popen([node, str(root / PROXY)], cwd=root, env=env, **popen)


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EditingError(f"the process on port {port} ended at once (exit status {process.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise EditingError(f"nothing answered on 127.0.0.1:{port} within {seconds:g} s")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def run_editor(root: Path, config_file: Path, proxy_port: int, site_port: int = 8000) -> int:
    """Start the proxy and ``mkdocs serve``, print the address, and wait until Ctrl-C or either ends."""
    for port, what, fix in ((proxy_port, "the editor's local proxy", "set editor_local_port under plugins.smartnotes"),
                            (site_port, "the site", "pass --port")):
        if port_taken(port):
            raise EditingError(f"127.0.0.1:{port} is in use, so {what} cannot start there — stop the program "
                               f"using it (another `make edit`?) or {fix}")
    proxy = serve = None
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops both as Ctrl-C does
    try:
        proxy = start_proxy(root, proxy_port)
        wait_for_port(proxy_port, proxy)
        serve = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-f", str(config_file),
                                  "-a", f"127.0.0.1:{site_port}"], cwd=root)
        wait_for_port(site_port, serve, seconds=300)
        print(f"\nThe editor: http://127.0.0.1:{site_port}/admin/ (click Login; it writes into {root})\n"
              f"The site with drafts: http://127.0.0.1:{site_port}/\nCtrl-C stops both.\n", flush=True)
        while proxy.poll() is None and serve.poll() is None:
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (serve, proxy):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in (serve, proxy):
            stop(process)
