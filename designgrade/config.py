"""Project defaults from ``designgrade.toml`` or ``[tool.designgrade]`` in pyproject.toml.

The file nearest to the design, walking up from its folder, wins; options given on the
command line win over both. Keys: ``select``, ``ignore``, ``level``, ``fail-on``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple, Optional

KEYS = ("select", "ignore", "level", "fail-on")


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file."""


class Config(NamedTuple):
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    level: Optional[str] = None
    fail_on: Optional[str] = None
    source: Optional[str] = None


def find_config(design_path: str | Path, cache: Optional[dict[Path, Config]] = None) -> Config:
    """The config for a design; pass one ``cache`` dict per run so a folder is read once."""
    folder = Path(design_path).resolve().parent
    if cache is not None and folder in cache:
        return cache[folder]
    config = _find(folder)
    if cache is not None:
        cache[folder] = config
    return config


def _find(folder: Path) -> Config:
    for candidate in (folder, *folder.parents):
        own = candidate / "designgrade.toml"
        if own.is_file():
            return _read(own, None)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _mentions_us(pyproject):
            config = _read(pyproject, ("tool", "designgrade"))
            if config is not None:
                return config
    return Config()


def _mentions_us(pyproject: Path) -> bool:
    # Most pyproject.toml files have no [tool.designgrade]: a text search spares parsing them.
    try:
        return b"designgrade" in pyproject.read_bytes()
    except OSError:
        return False


def _read(path: Path, table: Optional[tuple[str, ...]]) -> Optional[Config]:
    import tomllib

    try:
        with open(path, "rb") as handle:
            data: Any = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read this config file: {exc}") from None
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

    level = data.get("level")
    if level is not None and level not in ("L4", "L5", "L6", "L7"):
        raise ConfigError(f"{path}: level must be one of L4, L5, L6, L7, not {level!r}")
    fail_on = data.get("fail-on")
    if fail_on is not None and fail_on not in ("error", "warning", "info"):
        raise ConfigError(f"{path}: fail-on must be error, warning or info, not {fail_on!r}")
    return Config(names("select"), names("ignore"), level, fail_on, str(path))
