"""Project defaults from ``designgrade.toml`` or ``[tool.designgrade]`` in pyproject.toml.

The file nearest to the design, walking up from its folder, wins; the walk stops at the
repository root (the folder holding ``.git``) or the home folder, so a config file in
some folder above the project never applies by surprise. Options given on the command
line win over the file. Keys: ``select``, ``ignore``, ``level``, ``fail-on``, ``rubric``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple, Optional

KEYS = ("select", "ignore", "level", "fail-on", "rubric")
MAX_CONFIG_BYTES = 1024 * 1024  # a config is a few lines; this keeps a FIFO or a huge file out


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file."""


class Config(NamedTuple):
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    level: Optional[str] = None
    fail_on: Optional[str] = None
    source: Optional[str] = None  # the file the values came from; None: no file applies
    searched: tuple[str, str] = ("", "")  # (first folder, last folder) the search looked in
    rubric: Optional[str] = None  # lint scores against it: a built-in name or a path relative to the file


def find_config(design_path: str | Path, cache: Optional[dict[Path, Config]] = None) -> Config:
    """The config for a design; pass one ``cache`` dict per run so a folder is read once."""
    folder = Path(os.path.abspath(design_path)).parent
    if cache is not None and folder in cache:
        return cache[folder]
    config = _find(folder)
    if cache is not None:
        cache[folder] = config
    return config


def _find(folder: Path) -> Config:
    home = _home()
    last = folder
    for candidate in (folder, *folder.parents):
        last = candidate
        own = candidate / "designgrade.toml"
        if os.path.lexists(own):  # a FIFO or a dangling link here is reported, not skipped
            return _read(own, None)._replace(searched=(str(folder), str(candidate)))
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _mentions_us(pyproject):
            config = _read(pyproject, ("tool", "designgrade"))
            if config is not None:
                return config._replace(searched=(str(folder), str(candidate)))
        if os.path.lexists(candidate / ".git") or (home is not None and candidate == home):
            break  # the project's root, or the user's home: nothing above it is about this design
    return Config(searched=(str(folder), str(last)))


def _home() -> Optional[Path]:
    try:
        return Path(os.path.abspath(Path.home()))
    except (RuntimeError, KeyError, OSError):
        return None


def _text(path: Path) -> str:
    from .fileio import ReadError, read_limited

    try:
        raw = read_limited(path, MAX_CONFIG_BYTES)
    except ReadError as exc:
        raise ConfigError(f"{path}: cannot read this config file: {exc.reason}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: the config file is larger than {MAX_CONFIG_BYTES // 1024} KiB; is it one?")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text (a binary file?); a config file is TOML") from None


def _mentions_us(pyproject: Path) -> bool:
    # Most pyproject.toml files have no [tool.designgrade]: a text search spares parsing them.
    try:
        return "designgrade" in _text(pyproject)
    except ConfigError:
        return False  # not ours to judge: a designgrade.toml that cannot be read is reported


def _read(path: Path, table: Optional[tuple[str, ...]]) -> Optional[Config]:
    import tomllib

    try:
        data: Any = tomllib.loads(_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not a config file: its values nest too deep") from None
    for part in table or ():
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.designgrade] must be a table")
    for key in data:
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" (keys: {', '.join(KEYS)})"
            raise ConfigError(f"{path}: unknown option '{key}'{hint}")

    def names(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: '{key}' must be a list of rule slugs, codes or pillars")
        return tuple(value)

    # Case as on the command line, where --level l6 and --fail-on WARNING are accepted.
    level = data.get("level")
    if level is not None and (not isinstance(level, str) or level.upper() not in ("L4", "L5", "L6", "L7")):
        raise ConfigError(f"{path}: level must be one of L4, L5, L6, L7, not {level!r}")
    fail_on = data.get("fail-on")
    if fail_on is not None and (not isinstance(fail_on, str) or fail_on.lower() not in ("error", "warning", "info")):
        raise ConfigError(f"{path}: fail-on must be error, warning or info, not {fail_on!r}")
    rubric = data.get("rubric")
    if rubric is not None:
        if not isinstance(rubric, str) or not rubric.strip():
            raise ConfigError(f"{path}: rubric must be a built-in rubric (l5, l6) or a rubric file, not {rubric!r}")
        # A file is named relative to the config that names it, as a project expects.
        if rubric.lower() not in ("l5", "l6"):
            rubric = str(path.parent / rubric)
    return Config(names("select"), names("ignore"), level and level.upper(), fail_on and fail_on.lower(), str(path),
                  rubric=rubric)
