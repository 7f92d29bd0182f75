"""The playground's ASGI app (Starlette): the page, its static files and a small JSON API.

    GET  /                      the page
    GET  /api/files             the designs in the served folder
    GET  /api/file?path=P       one design's text and SHA-256
    GET  /api/starter?task=T    a starter design (the `init` tasks)
    POST /api/update?rubric=l6&level=L5        body: the YAML; findings, score, SVG, questions
    POST /api/save?path=P&base=SHA&overwrite=1&force=1   body: the YAML
    POST /api/export?fmt=svg|png|md&rubric=..  body: the YAML; a download

Bodies are the raw YAML (not JSON), so the loader's size limit is the body's: a bigger
body is refused with 413 before it is read. Every POST must carry the header
``X-Designgrade: 1``, which a page of another site cannot send without a CORS preflight
that this app never grants, and a foreign ``Origin`` is refused: a web page open in the
same browser cannot make the playground write a file. Only the host names the server
was started for are answered (DNS rebinding). Every response carries a CSP that allows
scripts from this origin only, no inline script, no inline handler.

Work runs in worker threads with a time budget: an update whose lint takes longer
answers with an error, a diagram that takes longer is skipped (the page keeps the last
one), and while Graphviz still draws an earlier version no second drawing is started.
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..findings import LEVELS
from ..loader import MAX_BYTES
from .core import DEFAULT_RUBRIC, RUBRICS, ExportError, Playground, TooLarge, text_of, too_large_message
from .files import FileProblem, Folder

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
POST_HEADER = "x-designgrade"
LINT_TIMEOUT_S = 20.0  # a 1 MiB design of 10,000 components lints in a few seconds
DIAGRAM_TIMEOUT_S = 20.0
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


class Settings:
    def __init__(self, folder: str | os.PathLike[str], allowed_hosts: Optional[list[str]] = None,
                 lint_timeout: float = LINT_TIMEOUT_S, diagram_timeout: float = DIAGRAM_TIMEOUT_S) -> None:
        self.folder = Folder(folder)
        self.allowed_hosts = allowed_hosts  # None: any
        self.lint_timeout, self.diagram_timeout = lint_timeout, diagram_timeout


def error(message: str, status: int = 400, **extra: Any) -> JSONResponse:
    """A one-line JSON error: ``{"error": "..."}`` and whatever the page needs to act on it."""
    return JSONResponse({"error": " ".join(str(message).split()), **extra}, status_code=status,
                        headers={"cache-control": "no-store"})


def ok(data: Any) -> JSONResponse:
    return JSONResponse(data, headers={"cache-control": "no-store"})


class _Bodyless(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


async def read_body(request: Request) -> bytes:
    """The request body, refused (413) as soon as it is over the loader's limit: by its
    Content-Length before a byte is read, else while it streams in."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise _Bodyless(error("the request's Content-Length is not a number"))
        if int(declared) > MAX_BYTES:
            raise _Bodyless(error(too_large_message(int(declared)), 413))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise _Bodyless(error(too_large_message(), 413))
        chunks.append(chunk)
    return b"".join(chunks)


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "") in ("1", "true", "yes")


def _level(request: Request) -> Optional[str]:
    value = (request.query_params.get("level") or "").upper()
    return value if value in LEVELS else None


def _rubric(request: Request) -> str:
    value = (request.query_params.get("rubric") or DEFAULT_RUBRIC).lower()
    return value if value in RUBRICS else DEFAULT_RUBRIC


def _name(request: Request) -> str:
    """The design's name as shown in messages (never used to open anything)."""
    from ..textsafe import terminal

    raw = terminal(request.query_params.get("name") or "design.yaml")[:120]
    return raw.strip() or "design.yaml"


def create_app(folder: str | os.PathLike[str], *, allowed_hosts: Optional[list[str]] = None,
               lint_timeout: float = LINT_TIMEOUT_S, diagram_timeout: float = DIAGRAM_TIMEOUT_S,
               playground: Optional[Playground] = None) -> Starlette:
    """The app serving ``folder``. ``allowed_hosts``: the Host names answered (None: any)."""
    settings = Settings(folder, allowed_hosts, lint_timeout, diagram_timeout)
    pg = playground or Playground()
    pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="designgrade-serve")
    drawing = threading.Lock()  # held while Graphviz draws, even past a request's budget

    async def bounded(fn: Callable[..., Any], *args: Any, timeout: float) -> Any:
        loop = asyncio.get_running_loop()
        return await asyncio.wait_for(loop.run_in_executor(pool, lambda: fn(*args)), timeout)

    def guarded(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except _Bodyless as exc:
                return exc.response
            except TooLarge as exc:
                return error(str(exc), 413)
            except FileProblem as exc:
                return error(exc.message, exc.status, **exc.extra)
            except asyncio.TimeoutError:
                return error(f"this took longer than {settings.lint_timeout:g} s; is the design unusually large?", 503)
            except Exception as exc:  # noqa: BLE001 - a bug of ours: one line, never a traceback
                if os.environ.get("DESIGNGRADE_DEBUG"):
                    raise
                return error(f"internal error: {type(exc).__name__}: {exc} (please report it)", 500)

        return run

    async def page(request: Request) -> Response:
        from ..starter import TASKS
        from .templates import render_page

        html = render_page(tasks=TASKS, rubrics=RUBRICS, levels=LEVELS, folder=settings.folder.root.name or "/",
                           default_rubric=DEFAULT_RUBRIC)
        return HTMLResponse(html, headers={"cache-control": "no-store"})

    async def files(request: Request) -> Response:
        listing = await bounded(settings.folder.listing, timeout=settings.lint_timeout)
        return ok({"folder": settings.folder.root.name, "files": listing})

    async def open_file(request: Request) -> Response:
        return ok(await bounded(settings.folder.read, request.query_params.get("path"), timeout=settings.lint_timeout))

    async def starter_text(request: Request) -> Response:
        from ..starter import TASKS, starter

        task = request.query_params.get("task", "")
        if task not in TASKS:
            return error(f"unknown task '{task[:40]}' (tasks: {', '.join(TASKS)})")
        title = " ".join((request.query_params.get("title") or "").split())[:200]
        return ok({"task": task, "text": starter(task, title), "name": f"{task}.yaml"})

    async def update(request: Request) -> Response:
        raw = await read_body(request)
        text, bad = text_of(raw)
        if bad is not None:  # not UTF-8: a parse error at the first bad byte
            return ok({"ok": False, "parse_error": bad, "findings": [], "svg": None,
                       "diagram_note": "the file is not UTF-8: the diagram is the last good one"})
        rubric, level, name = _rubric(request), _level(request), _name(request)

        def analyse() -> tuple[Any, dict[str, Any]]:
            analysed = pg.analyse(text, rubric, level, name)
            result = analysed.to_dict()
            result["questions"] = pg.questions(analysed)
            return analysed, result

        import time

        started = time.perf_counter()
        analysed, result = await bounded(analyse, timeout=settings.lint_timeout)
        linted = time.perf_counter()
        result["timings"] = {"lint_score_ms": round(1000 * (linted - started), 1)}
        if request.query_params.get("diagram", "1") != "0":
            result.update(await diagram(analysed))
            result["timings"]["svg_ms"] = round(1000 * (time.perf_counter() - linted), 1)
        result["timings"]["total_ms"] = round(1000 * (time.perf_counter() - started), 1)
        return ok(result)

    async def diagram(analysed: Any) -> dict[str, Any]:
        if not drawing.acquire(blocking=False):
            return {"svg": None, "diagram_pending": True,
                    "diagram_note": "still drawing an earlier version; the diagram follows"}

        def draw() -> dict[str, Any]:
            try:
                return pg.diagram(analysed)
            finally:
                drawing.release()

        try:
            return await bounded(draw, timeout=settings.diagram_timeout)
        except asyncio.TimeoutError:
            return {"svg": None, "diagram_note": f"the diagram took longer than {settings.diagram_timeout:g} s; "
                                                 "findings and score are current"}

    async def save(request: Request) -> Response:
        raw = await read_body(request)
        text, bad = text_of(raw)
        if bad is not None:
            return error(f"not saved: {bad['message']}")
        base = request.query_params.get("base") or None
        result = await bounded(lambda: settings.folder.save(request.query_params.get("path"), text.encode("utf-8"),
                                                            base=base, overwrite=_flag(request, "overwrite"),
                                                            force=_flag(request, "force")),
                               timeout=settings.lint_timeout)
        return ok(result)

    async def export(request: Request) -> Response:
        raw = await read_body(request)
        text, bad = text_of(raw)
        fmt = request.query_params.get("fmt", "")
        if bad is not None:
            return error(f"cannot download: {bad['message']}")
        try:
            data, media = await bounded(pg.export, text, fmt, _rubric(request), _level(request), _name(request),
                                        timeout=settings.lint_timeout + settings.diagram_timeout)
        except ExportError as exc:
            return error(str(exc))
        stem = download_stem(request.query_params.get("name"))
        suffix = {"svg": ".svg", "png": ".png", "md": ".md"}[fmt]
        return Response(data, media_type=media, headers={
            "content-disposition": f'attachment; filename="{stem}{suffix}"', "cache-control": "no-store"})

    routes = [
        Route("/", page),
        Route("/api/files", guarded(files)),
        Route("/api/file", guarded(open_file)),
        Route("/api/starter", guarded(starter_text)),
        Route("/api/update", guarded(update), methods=["POST"]),
        Route("/api/save", guarded(save), methods=["POST"]),
        Route("/api/export", guarded(export), methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.playground = pg
    app.state.settings = settings
    return Guard(app, allowed_hosts)  # type: ignore[return-value]


def download_stem(name: Optional[str]) -> str:
    """A download's file name from the design's: letters, digits, ``-`` ``_`` ``.`` only."""
    base = os.path.basename((name or "design").replace("\\", "/"))
    for suffix in (".yaml", ".yml"):
        if base.lower().endswith(suffix):
            base = base[: -len(suffix)]
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in base).strip("._")
    return safe[:80] or "design"


class Guard:
    """ASGI middleware: the Host check, the POST checks, and the security headers on every
    response (the CSP included), whatever answered."""

    def __init__(self, app: Starlette, allowed_hosts: Optional[list[str]]) -> None:
        self.app = app
        self.allowed = None if allowed_hosts is None else {h.lower().strip("[]") for h in allowed_hosts}
        self.state = app.state

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        problem = self.refuse(scope, headers)

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()
                         if k.encode("latin-1") not in present]
                message = dict(message, headers=list(message.get("headers", [])) + extra)
            await send(message)

        if problem is not None:
            await error(problem[1], problem[0])(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def refuse(self, scope: dict[str, Any], headers: dict[str, str]) -> Optional[tuple[int, str]]:
        host = headers.get("host", "")
        hostname = urlsplit(f"//{host}").hostname or ""
        if self.allowed is not None and hostname.lower() not in self.allowed:
            return 421, "this server answers only the host it was started for (see the URL it printed)"
        if scope.get("method", "GET") not in ("GET", "HEAD"):
            origin = headers.get("origin")
            if origin is not None and origin != "null" and (urlsplit(origin).netloc or "").lower() != host.lower():
                return 403, "cross-origin requests are refused"
            if origin == "null":
                return 403, "cross-origin requests are refused"
            if headers.get(POST_HEADER) != "1":
                return 403, f"requests that change anything must come from the page (header {POST_HEADER})"
        return None
