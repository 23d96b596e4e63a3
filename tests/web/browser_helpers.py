"""Browser-test plumbing: Debian's chromium through Playwright, and the app on a loopback port."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parents[2] / ".cache/axe/node_modules/axe-core/axe.min.js"
PHONE = {"width": 412, "height": 915}

# Records every distinct (kind, region, technique) the current-step element shows.
WATCH_STEPS = """() => {
  window.__seen = [];
  const el = document.querySelector('[data-testid="current-step"]');
  const note = () => {
    const now = [el.dataset.kind, el.dataset.region, el.dataset.technique];
    const last = window.__seen[window.__seen.length - 1];
    if (!last || last.join("|") !== now.join("|")) window.__seen.push(now);
  };
  note();
  new MutationObserver(note).observe(el, { attributes: true });
}"""

# Records every text the spoken-words element shows, however briefly (an echo may be
# replaced by the next step's words before a poll would see it).
WATCH_SAY = """() => {
  window.__said = [];
  const el = document.getElementById("say");
  const note = () => window.__said.push(el.textContent.toLowerCase());
  note();
  new MutationObserver(note).observe(el, { childList: true, characterData: true, subtree: true });
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
}"""


def axe_problems(page: Any, base: str, paths: Any) -> dict[str, Any]:
    """axe's violations on each page path (an empty dict when there are none)."""
    problems = {}
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(AXE_RUN)
        if found:
            problems[path] = found
    return problems


def launch(playwright: Any) -> Any:
    """Debian's chromium, headless, with no calls home."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def open_player(context: Any, base: str, session_id: int, speed: float) -> Any:
    """A player page, loaded and ready to begin."""
    page = context.new_page()
    page.csp_errors = csp_errors(page)
    page.goto(f"{base}/play/{session_id}?speed={speed}")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    return page


def wait_until(page: Any, predicate: str, timeout: float = 10.0) -> Any:
    """Poll a JS function until it returns something truthy."""
    # Not wait_for_function: it evaluates strings, which the app's CSP rightly forbids.
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(predicate)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")
        time.sleep(0.05)


def csp_errors(page: Any) -> list[str]:
    """Collect the page's Content-Security-Policy complaints as they happen."""
    found: list[str] = []
    page.on(
        "console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None
    )
    return found


def current(page: Any) -> dict[str, str]:
    """The current-step element's data attributes."""
    return page.eval_on_selector('[data-testid="current-step"]', "el => ({...el.dataset})")


def wait_offline_ready(page: Any) -> None:
    """Wait until the service worker controls the page and the session is cached."""
    wait_until(
        page,
        "() => document.body.dataset.offline === 'ready' && "
        "navigator.serviceWorker.controller !== null",
        30,
    )


def new_session(server: dict[str, Any], minutes: int = 5) -> dict[str, Any]:
    """A running session for Ann giving to Ben, started over the API."""
    reply = server["api"].post(
        "/api/sessions", json={"minutes": minutes, "giver": "Ann", "receiver": "Ben"}
    )
    assert reply.status_code == 201, reply.text
    result: dict[str, Any] = reply.json()
    return result


def first_step_s(session: dict[str, Any], speed: float) -> float:
    """How long to wait for the first step at this speed: the opening (its words grow as the
    plans do), and room for a loaded machine."""
    first = next(s for s in session["plan"]["segments"] if s["kind"] == "step")
    return float(first["start_s"]) / speed + 10.0


def journal(server: dict[str, Any], session_id: int) -> list[Any]:
    """The session's journal as the database holds it now."""
    from rubdown.store.db import open_store
    from rubdown.store.repos import SessionsRepo

    with open_store(server["db"]) as store:
        return SessionsRepo(store).events(session_id)


def journal_until(
    server: dict[str, Any], session_id: int, done: Any, timeout: float = 10
) -> list[Any]:
    """The journal once done(events) holds: the player posts its last events a moment later."""
    deadline = time.monotonic() + timeout
    while not done(events := journal(server, session_id)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return events


def trusting_home(home: Path, ca: Path) -> None:
    """An NSS database in home/.pki/nssdb (chromium's, with HOME=home) trusting rubdown's CA."""
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    db = f"sql:{nssdb}"
    subprocess.run(["certutil", "-d", db, "-N", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-d", db, "-A", "-t", "C,,", "-n", "rubdown", "-i", str(ca)], check=True
    )


# The player's Listen switch: what its echo line says, and what the page heard and applied.
ECHO = "() => document.getElementById('listen-echo').textContent"
HEARD = "() => window.__rubdown.listening.heard"


def stays_off_saying(page: Any, words: str) -> str:
    """Turn Listen on; it must stay off with these words in its echo (and no page error)."""
    page.click("#listen-btn")
    has = f"() => {{ const t = ({ECHO})(); return t.includes({json.dumps(words)}) && t; }}"
    why = wait_until(page, has, 15)
    assert page.get_attribute("#listen-btn", "aria-checked") == "false"
    assert page.text_content("#listen-status") == "Listen"
    assert page.evaluate("document.body.dataset.listening") != "on"
    assert page.errors == [] and page.csp_errors == []
    return str(why)


def paused_in_a_step(page: Any) -> None:
    """Begin, let the fast clock reach a massage step, and pause there (no cue playing)."""
    page.click("#play-btn")
    wait_until(
        page,
        "() => document.querySelector('[data-testid=current-step]').dataset.kind === 'step'",
        30,
    )
    page.click("#play-btn")
    wait_until(page, "() => !window.__rubdown.clock.running")
