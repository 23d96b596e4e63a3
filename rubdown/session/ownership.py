"""Who plays a running session, the heartbeat that says so, and when a session is stale.

A running session has one owner: the guide process playing it, or the web server whose page
plays it. The owner's heartbeat is the session's `heartbeat_at`: every journal event, saved
position and heartbeat call moves it. A session becomes "interrupted" (resumable from either
edge) only when its heartbeat is older than STALE_AFTER_S, or when its owner is a process on
this machine that no longer exists; never because another process ran a command.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rubdown.store.models import utcnow

if TYPE_CHECKING:
    from rubdown.store.db import Store

# Two minutes without a sign of life: long enough for a phone's screen to sleep through a
# long step (browsers slow background timers to once a minute), short enough that History
# soon shows a closed page's session as interrupted.
STALE_AFTER_S = 120.0
# Owners beat this often, so a few lost beats still leave them well inside the limit.
HEARTBEAT_EVERY_S = 20.0
Clock = Callable[[], datetime]


def owner_id(kind: str) -> str:
    """A new owner name for this process: kind, host, process id and a random part."""
    return f"{kind}:{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def owner_alive(owner: str) -> bool:
    """False only for an owner process on this machine that has gone; else the heartbeat rules."""
    parts = owner.split(":")
    if len(parts) != 4 or parts[1] != socket.gethostname() or not parts[2].isdigit():
        return True
    pid = int(parts[2])
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but is not ours to signal
    return True


def settle_stale(
    store: Store, now: datetime | None = None, limit_s: float = STALE_AFTER_S
) -> list[int]:
    """Mark running sessions whose owner stopped as interrupted; returns their ids."""
    from rubdown.store.repos import SessionsRepo

    return SessionsRepo(store).mark_stale(now or utcnow(), limit_s, owner_alive)


class Heartbeat:
    """Calls beat() every `every` seconds in a daemon thread until stop()."""

    def __init__(self, beat: Callable[[], object], every: float = HEARTBEAT_EVERY_S) -> None:
        self.beat, self.every = beat, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="rubdown-heartbeat")

    def start(self) -> Heartbeat:
        """Begin beating."""
        self._thread.start()
        return self

    def _run(self) -> None:
        """Beat until stopped; a failed beat is retried next time (the limit allows several)."""
        while not self._stop.wait(self.every):
            try:
                self.beat()
            except Exception:  # a database hiccup must not kill the session
                continue

    def stop(self) -> None:
        """Stop beating and wait for the thread."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
