// Floor mode: each state turns the whole screen (its colour and one big word), leaving a
// running session asks first, and a page that is not a secure context says what it loses.
const ORDER = ["stopped", "paused", "check-in", "pressure-check", "offline"];
const WORDS = { stopped: "Stop", paused: "Paused", "check-in": "Check in", "pressure-check": "Pressure check",
  offline: "Offline" };

export class Screen {
  constructor(root) {
    this.root = root;
    this.word = document.getElementById("state-word");
    this.flags = new Set();
    this.shown = null;
  }

  set(flag, on) {
    if (on === this.flags.has(flag)) return;
    if (on) this.flags.add(flag); else this.flags.delete(flag);
    this.draw();
  }

  // The most urgent state wins: a stop over a pause, a pause over a check-in.
  now() {
    return ORDER.find((flag) => this.flags.has(flag)) ?? null;
  }

  draw() {
    const now = this.now();
    for (const flag of ORDER) {
      this.root.classList.toggle(`screen-${flag}`, now === flag);
      document.body.classList.toggle(`screen-${flag}`, now === flag);
    }
    this.root.dataset.screen = now ?? "";
    this.word.textContent = now ? WORDS[now] : "";
    // Each change of screen is marked for the browser tests (how fast a remote stop shows).
    if (now !== this.shown) window.__rubdown?.screens.push({ screen: now, at: performance.timeOrigin + performance.now() });
    this.shown = now;
  }
}

// Every link on the player asks before it leaves a running session; the page itself too.
// inSession: begun and not over (links ask); playing: the clock runs (a reload asks too).
export function guardLeaving(inSession, playing, onLeave) {
  const dialog = document.getElementById("leave-dialog");
  let target = null;
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || !inSession() || link.target === "_blank") return;
    event.preventDefault();
    target = link.href;
    dialog.showModal();
  }, true);
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "leave" || !target) return;
    await onLeave();
    location.href = target;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!playing()) return;
    event.preventDefault();
    event.returnValue = "";
  });
}

// Plain http on a network address: no wake lock, no offline copy, no microphone. Say so.
export function warnIfInsecure() {
  if (window.isSecureContext) return false;
  const note = document.getElementById("secure-warning");
  note.replaceChildren(
    "Not a secure connection: the screen may lock mid-session, nothing plays offline and voice commands cannot listen. ",
    Object.assign(document.createElement("a"), { href: "/trust", textContent: "Fix it: open rubdown over https" }),
  );
  note.hidden = false;
  document.body.dataset.insecure = "true";
  return true;
}
