"""Reads configuration from environment variables, failing loudly with a hint."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_UNSET: Any = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingError(ImproperlyConfigured):
    """A setting missing or malformed in the environment or .env. The message says which and what to do, so the
    command line prints it alone (config.cli)."""


def _hint(name: str, hint: str) -> str:
    return (
        f" Hint: {hint}" if hint else f" Hint: set {name} in the environment or in .env (see .env.example)."
    )


def env_str(name: str, default: str = _UNSET, *, hint: str = "") -> str:
    value = os.environ.get(name)
    if value is not None:
        return value
    if default is _UNSET:
        raise SettingError(f"The setting {name} is required but not set.{_hint(name, hint)}")
    return default


def env_bool(name: str, default: bool = _UNSET, *, hint: str = "") -> bool:
    raw = os.environ.get(name)
    if raw is None:
        if default is _UNSET:
            raise SettingError(f"The setting {name} is required but not set.{_hint(name, hint)}")
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingError(
        f"The setting {name}={raw!r} is not a yes/no value.{_hint(name, hint or 'use true or false.')}"
    )


def env_int(name: str, default: int = _UNSET, *, hint: str = "") -> int:
    return _cast(name, default, int, "a whole number", hint)


def env_list(name: str, default: list[str] = _UNSET, *, hint: str = "") -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        if default is _UNSET:
            raise SettingError(f"The setting {name} is required but not set.{_hint(name, hint)}")
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path = _UNSET, *, hint: str = "") -> Path:
    return _cast(name, default, lambda raw: Path(raw).expanduser().resolve(), "a path", hint)


def _cast(name: str, default: Any, cast: Callable[[str], Any], kind: str, hint: str) -> Any:
    raw = os.environ.get(name)
    if raw is None:
        if default is _UNSET:
            raise SettingError(f"The setting {name} is required but not set.{_hint(name, hint)}")
        return default
    try:
        return cast(raw)
    except (TypeError, ValueError) as error:
        raise SettingError(f"The setting {name}={raw!r} is not {kind}.{_hint(name, hint)}") from error


def load_dotenv(path: Path) -> None:
    """Reads KEY=VALUE lines from a .env file without overriding the real environment."""
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "=" not in stripped:
            raise SettingError(f"{path}, line {number}: expected KEY=VALUE, found {stripped!r}.")
        key, value = stripped.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))
