"""Writing results to disk, safely.

Every file is written under a temporary name in its final directory and then
renamed, so a crash never leaves a half-written table behind. An output
directory that already holds results is not overwritten unless asked.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas loads only when a table is written (keeps start-up short)
    import pandas as pd

__all__ = ["OutputError", "atomic_write", "prepare_directory", "write_json", "write_table"]


class OutputError(Exception):
    """An output directory or file that cannot be used."""


def prepare_directory(path: str | Path, force: bool = False) -> Path:
    """Create ``path``; refuse a non-empty directory unless ``force``.

    Raises
    ------
    OutputError
        If ``path`` is a file, or holds files and ``force`` is false.
    """
    directory = Path(path)
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"--out: {str(directory)!r} is a file, not a directory")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise OutputError(
            f"--out: {str(directory)!r} already holds results; "
            "pass --force to overwrite them, or choose another directory"
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"--out: cannot create {str(directory)!r}: {error}") from None
    return directory


def _temporary_file(path: Path) -> str:
    """Create an empty file beside ``path`` with a fresh name, mode ``0o666 & ~umask``.

    :func:`tempfile.mkstemp` would make it ``0o600``, so that a report written to a
    shared drive could be read by its author alone; a file made here gets the
    permissions that a plain ``open(path, "w")`` would give it.
    """
    for _ in range(100):
        temporary = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(6)}")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(descriptor)
        return temporary
    raise FileExistsError(f"no free temporary name beside {str(path)!r}")  # pragma: no cover


def atomic_write(path: Path, write: Callable[[Path], Any]) -> Path:
    """Call ``write(temporary_path)``, then rename the file to ``path``.

    The file gets the permissions of a newly created file (``0o666`` less the
    process's umask), as with :func:`open`.
    """
    temporary = _temporary_file(path)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_table(table: pd.DataFrame, directory: Path, name: str) -> list[Path]:
    """Write ``name.parquet`` and ``name.csv``."""
    return [
        atomic_write(directory / f"{name}.parquet", lambda p: table.to_parquet(p, index=False)),
        atomic_write(directory / f"{name}.csv", lambda p: table.to_csv(p, index=False)),
    ]


def write_json(data: Mapping[str, Any], path: Path) -> Path:
    """Write ``data`` as indented JSON (NaN becomes null)."""
    text = json.dumps(_clean(data), indent=2, sort_keys=False)
    return atomic_write(path, lambda p: p.write_text(text + "\n", encoding="utf-8"))


def _clean(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value
