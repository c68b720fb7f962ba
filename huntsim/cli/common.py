"""What the command families share: how warnings reach the terminal."""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["print_warnings"]


def print_warnings(warnings: Sequence[str]) -> None:
    """Print each warning on stderr as ``warning: ...``."""
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
