"""`designgrade serve`: a local web playground where the diagram, findings and score
follow every keystroke.

- :mod:`.core`: one update (lint, score, diagram, questions) as JSON-ready data; no web code;
- :mod:`.files`: the served folder's designs, opened and saved safely;
- :mod:`.app`: the Starlette app (the page, the JSON API, the security headers);
- :mod:`.server`: binding the port and running uvicorn.

Only this package imports starlette and uvicorn, and importing it imports neither: the
app is built by :func:`create_app` and the server by :func:`prepare`. Nothing here prints
or exits; the CLI's ``serve`` command does.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "prepare", "ServeError"]


class ServeError(Exception):
    """The server cannot start (the folder, the host, the port); the message is one line."""


def create_app(folder: Any, **options: Any) -> Any:
    from .app import create_app as make

    return make(folder, **options)


def prepare(folder: Any, host: str = "127.0.0.1", port: int = 8000) -> Any:
    from .server import prepare as make

    return make(folder, host, port)
