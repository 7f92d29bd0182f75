"""Reading and writing files the way every command does.

Reading: only regular files, never more than a limit. A FIFO named as a design would block
the run forever, ``/dev/zero`` would never end, and a tape device may rewind when opened,
so the kind of file is checked before it is opened and again on the open descriptor.

Writing: atomically (a temp file in the target folder, then ``os.replace``), and only over
a regular file or nothing. A device node, a FIFO or a symbolic link at the target is
refused: as root, replacing ``/dev/null`` or ``/dev/stdout`` breaks the whole machine, and
a link is something a person made on purpose.

Every failure is a :class:`ReadError` or :class:`WriteError` whose text is one line that
names the path and says what to do.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Union

from .textsafe import show_name

PathLike = Union[str, "os.PathLike[str]"]
TEMP_SUFFIX = ".designgrade.tmp"  # batch.sweep_temp_files recognises ours by it


class ReadError(OSError):
    """A file that cannot be read; ``reason`` says why, without the path."""

    def __init__(self, path: PathLike, reason: str) -> None:
        super().__init__(f"{show_name(path)}: {reason}")
        self.path = path
        self.reason = reason


class WriteError(OSError):
    """An output that cannot or may not be written; the text names it and what to do."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop (the link leads, in the end, back to itself)"
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.EISDIR:
        return "a folder, not a file"
    return exc.strerror.lower() if exc.strerror else str(exc)


def check_regular(path: PathLike) -> None:
    """ReadError unless ``path`` (links followed) is a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise ReadError(path, os_reason(exc)) from None
    if not stat.S_ISREG(mode):
        raise ReadError(path, f"{kind_of(mode)}, not a file; designgrade reads only regular files")


def read_limited(path: PathLike, limit: int) -> bytes:
    """The bytes of a regular file, at most ``limit`` + 1 of them (so a caller can tell
    that the file is over its limit without reading all of it)."""
    check_regular(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReadError(path, os_reason(exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # swapped between the check and the open
            raise ReadError(path, f"{kind_of(mode)}, not a file; designgrade reads only regular files")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except ReadError:
        raise
    except OSError as exc:
        raise ReadError(path, os_reason(exc)) from None
    finally:
        os.close(fd)


def check_replaceable(path: PathLike) -> None:
    """WriteError unless ``path`` is absent or a regular file (not a link to one)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise WriteError(f"cannot write {show_name(path)}: {os_reason(exc)}") from None
    if stat.S_ISLNK(mode):
        raise WriteError(f"will not write {show_name(path)}: it is a symbolic link, and designgrade replaces only "
                         "regular files; remove the link or choose another name")
    if not stat.S_ISREG(mode):
        raise WriteError(f"will not write {show_name(path)}: it is {kind_of(mode)}, and designgrade replaces only "
                         "regular files; choose a file name")


def write_atomic(path: PathLike, data: Union[str, bytes]) -> None:
    """Write ``data`` to ``path`` through a temp file and ``os.replace``: readers never see
    half a file, and a failure leaves the old file (and no temp file) behind."""
    path = Path(path)
    check_replaceable(path)
    # A lone surrogate (a file name that was not UTF-8, quoted into a report) is written
    # as an escape rather than failing the whole report.
    raw = data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=TEMP_SUFFIX, dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        if isinstance(exc, WriteError):
            raise
        raise WriteError(f"cannot write {show_name(path)}: {os_reason(exc)}") from None
    finally:
        if tmp is not None:  # also on Ctrl-C: no temp file is left behind
            try:
                os.unlink(tmp)
            except OSError:
                pass
