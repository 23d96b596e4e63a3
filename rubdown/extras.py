"""Optional parts of rubdown (installed as extras), and a plain message when one is missing."""

from __future__ import annotations

import importlib.util
import sys

# extra name -> (module it provides, what it is for)
EXTRAS = {
    "pdf": ("weasyprint", "PDF output"),
    "postgres": ("psycopg", "a PostgreSQL database"),
    "plot": ("matplotlib", "a chart (stats --plot)"),
    "listen": ("pocketsphinx", "voice commands (hear, guide --listen, the player's Listen)"),
}


class MissingExtra(Exception):
    """A command needs an optional part that is not installed; exit code 2."""

    exit_code = 2

    def __init__(self, extra: str) -> None:
        self.extra = extra
        purpose = EXTRAS[extra][1]
        super().__init__(
            f"{purpose} needs rubdown's '{extra}' extra, which is not installed: "
            f"pip install '.[{extra}]' in rubdown's folder"
        )


def has(extra: str) -> bool:
    """Whether an extra's library can be imported (without importing it)."""
    module = EXTRAS[extra][0]
    if module in sys.modules:
        return sys.modules[module] is not None  # None marks an import known to fail
    return importlib.util.find_spec(module) is not None


def require(extra: str) -> None:
    """MissingExtra unless the extra is installed."""
    if not has(extra):
        raise MissingExtra(extra)
