"""The designs of the served folder: list, open, save; never a file outside it.

A name comes from the page, so it is checked before anything touches the disk: relative,
no ``..``, no hidden part, no control character, ending in ``.yaml`` or ``.yml``, and,
once links are resolved, inside the folder. Saving goes through
:func:`designgrade.fileio.write_atomic`; replacing a file that exists needs the page's
explicit ``overwrite``, and a file that changed on disk since the page opened it (its
SHA-256 differs from the one the page sends back) is replaced only with ``force``, after
the page said so. Nothing here imports starlette.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any, Optional

from ..engine import DESIGN_SUFFIXES
from ..fileio import ReadError, WriteError, read_limited, write_atomic
from ..loader import MAX_BYTES, decode
from ..textsafe import has_unsafe, show_name

MAX_NAME = 255
MAX_LISTED = 2000


class FileProblem(Exception):
    """A name or file the page may not use; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400, **extra: Any) -> None:
        super().__init__(message)
        self.message, self.status, self.extra = message, status, extra


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Folder:
    """The folder ``designgrade serve DIR`` was started on."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(os.path.realpath(root))
        if not self.root.is_dir():
            raise FileProblem(f"{show_name(root)} is not a folder", 500)

    # -- names ------------------------------------------------------------------------------

    def resolve(self, name: Any) -> Path:
        """The path of ``name`` inside the folder, or FileProblem (403 for a way out)."""
        if not isinstance(name, str) or not name.strip():
            raise FileProblem("no file name given")
        if len(name) > MAX_NAME or has_unsafe(name) or "\\" in name:
            raise FileProblem("that file name has characters a design name cannot have")
        if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
            raise FileProblem("only names inside the served folder are allowed, not absolute paths", 403)
        parts = name.split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise FileProblem("only names inside the served folder are allowed ('..' and empty parts are not)", 403)
        if any(part.startswith(".") for part in parts):
            raise FileProblem("hidden files and folders are not served")
        if not parts[-1].lower().endswith(DESIGN_SUFFIXES):
            raise FileProblem("a design's name ends in .yaml or .yml")
        path = self.root.joinpath(*parts)
        # Links are followed, then the result must still be inside the folder.
        real = Path(os.path.realpath(path))
        if not self._inside(real):
            raise FileProblem("that name leads outside the served folder (a symbolic link?)", 403)
        return path

    def _inside(self, real: Path) -> bool:
        return real == self.root or self.root in real.parents

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # -- list, open, save --------------------------------------------------------------------

    def listing(self) -> list[dict[str, Any]]:
        """Every design below the folder (hidden folders and links out skipped), sorted."""
        out: list[dict[str, Any]] = []
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and self._inside(Path(os.path.realpath(os.path.join(folder, d)))))
            for name in sorted(files):
                if name.startswith(".") or not name.lower().endswith(DESIGN_SUFFIXES):
                    continue
                full = Path(folder) / name
                try:
                    mode = os.stat(full).st_mode
                except OSError:
                    continue
                if not stat.S_ISREG(mode) or not self._inside(Path(os.path.realpath(full))):
                    continue
                rel = self.relative(full)
                if has_unsafe(rel):
                    continue
                out.append({"path": rel})
                if len(out) >= MAX_LISTED:
                    return out
        return out

    def read(self, name: Any) -> dict[str, Any]:
        path = self.resolve(name)
        try:
            raw = read_limited(path, MAX_BYTES)
        except ReadError as exc:
            status = 404 if "no such file" in exc.reason else 400
            raise FileProblem(f"cannot open {self.relative(path)}: {exc.reason}", status) from None
        if len(raw) > MAX_BYTES:
            raise FileProblem(f"{self.relative(path)} is larger than {MAX_BYTES // 1024} KiB, the limit for one design",
                              413)
        text, problem = decode(raw)
        if problem:
            raise FileProblem(f"cannot open {self.relative(path)}: {problem[0]}", 400)
        return {"path": self.relative(path), "text": text, "sha256": digest(raw)}

    def save(self, name: Any, data: bytes, *, base: Optional[str] = None, overwrite: bool = False,
             force: bool = False) -> dict[str, Any]:
        """Write ``data`` to ``name`` atomically.

        ``base``: the SHA-256 of the file as the page opened (or last saved) it; None for a
        new name. A file that exists is replaced only with ``overwrite``; one whose content
        is not ``base`` any more only with ``force`` too. Conflicts are FileProblem 409
        with ``conflict`` set to ``exists`` or ``changed``.
        """
        if len(data) > MAX_BYTES:
            raise FileProblem(f"the design is larger than {MAX_BYTES // 1024} KiB, the limit for one design", 413)
        path = self.resolve(name)
        rel = self.relative(path)
        if not path.parent.is_dir():
            raise FileProblem(f"cannot save {rel}: the folder {self.relative(path.parent) or '.'} does not exist")
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            mode = None
        except OSError as exc:
            raise FileProblem(f"cannot save {rel}: {exc.strerror or exc}") from None
        if mode is not None:
            if stat.S_ISLNK(mode):
                raise FileProblem(f"will not save over {rel}: it is a symbolic link", 403)
            if not stat.S_ISREG(mode):
                raise FileProblem(f"will not save over {rel}: it is not a regular file", 403)
            try:
                current = digest(read_limited(path, MAX_BYTES))
            except ReadError as exc:
                raise FileProblem(f"cannot save {rel}: {exc.reason}") from None
            if base is not None and current != base and not force:
                raise FileProblem(f"{rel} changed on disk since you opened it: reload it, or overwrite it "
                                  "with your version", 409, conflict="changed", sha256=current)
            if not (overwrite or force):
                raise FileProblem(f"{rel} exists: overwrite it?", 409, conflict="exists", sha256=current)
        try:
            write_atomic(path, data)
        except WriteError as exc:
            raise FileProblem(str(exc).replace(str(path), rel), 400) from None
        return {"path": rel, "sha256": digest(data), "created": mode is None}
