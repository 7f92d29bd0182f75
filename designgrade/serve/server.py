"""Binding the port and running uvicorn, for `designgrade serve`.

The socket is bound here, before uvicorn starts, so a port in use is one clear
:class:`ServeError` instead of uvicorn's log and exit. Binding anything but a loopback
address is allowed but flagged (:attr:`Prepared.exposed`): the page can save files in
the folder, and anyone who reaches the port can use it.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import threading
from typing import Any, Optional

from . import ServeError

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Prepared:
    """A bound socket and the app, ready to :meth:`run`."""

    def __init__(self, app: Any, sock: socket.socket, host: str, port: int, exposed: bool) -> None:
        self.app, self.sock, self.host, self.port, self.exposed = app, sock, host, port, exposed

    @property
    def url(self) -> str:
        shown = self.host
        if shown in ("0.0.0.0", "::", ""):
            shown = "127.0.0.1"
        if ":" in shown and not shown.startswith("["):
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}/"

    def warm_up(self) -> None:
        """Load the rubrics and the drawing code before the first keystroke needs them."""
        try:
            from ..starter import starter

            playground = self.app.state.playground
            for rubric in ("l5", "l6"):
                playground.rubric(rubric)
            playground.update(starter("fraud_detection"))
        except Exception:  # noqa: BLE001 - the first real update reports any problem itself
            pass

    def run(self) -> None:
        """Serve until Ctrl-C or SIGTERM (uvicorn handles both and shuts down cleanly)."""
        import uvicorn

        threading.Thread(target=self.warm_up, name="designgrade-warm-up", daemon=True).start()
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=3)
        server = uvicorn.Server(config)
        try:
            server.run(sockets=[self.sock])
        finally:
            try:
                self.sock.close()
            except OSError:
                pass


def prepare(folder: Any, host: str = "127.0.0.1", port: int = 8000) -> Prepared:
    from .app import create_app
    from .files import FileProblem

    if not os.path.isdir(folder):
        raise ServeError(f"{folder} is not a folder: give the folder that holds your designs")
    if not 0 <= port <= 65535:
        raise ServeError(f"--port {port} is not a port number (0-65535; 0 picks a free one)")
    sock = bind(host, port)
    bound_port = sock.getsockname()[1]
    loopback = is_loopback(host)
    allowed: Optional[list[str]] = None
    if loopback:
        allowed = list(LOOPBACK_HOSTS) + ([host] if host not in LOOPBACK_HOSTS else [])
    try:
        app = create_app(folder, allowed_hosts=allowed)
    except FileProblem as exc:
        sock.close()
        raise ServeError(exc.message) from None
    return Prepared(app, sock, host, bound_port, exposed=not loopback)


def bind(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host.strip("[]") or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServeError(f"cannot use --host {host}: {exc.strerror or exc}") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name != "nt":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
        sock.set_inheritable(True)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is in use (another designgrade serve?): "
                             f"stop it or choose another with --port") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise ServeError(f"not allowed to listen on port {port}: choose one above 1023 with --port") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock
