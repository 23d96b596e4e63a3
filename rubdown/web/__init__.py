"""The phone-friendly web app: planner, guided player, the receiver's remote and history.

FastAPI is imported only when the app is built, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rubdown.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    """Load the app factory on first use."""
    if name == "create_app":
        from rubdown.web.app import create_app

        return create_app
    raise AttributeError(f"module 'rubdown.web' has no attribute {name!r}")
