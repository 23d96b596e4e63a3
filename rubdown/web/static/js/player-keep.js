// What the player keeps on this phone: where the clock stands, the screen awake, the offline copy.

// Where the clock stands, kept on this phone so a reload without the server resumes there.
export class Position {
  constructor(sessionId) {
    this.key = `rubdown-position-${sessionId}`;
    this.savedAt = 0;
  }

  save(clockS, version, force = false) {
    const now = Date.now();
    if (!force && now - this.savedAt < 1000) return;
    this.savedAt = now;
    try {
      localStorage.setItem(this.key, JSON.stringify({ clock_s: clockS, version }));
    } catch {
      // Storage full or refused: the server still has the journal.
    }
  }

  saved() {
    try {
      return Number(JSON.parse(localStorage.getItem(this.key) || "{}").clock_s) || 0;
    } catch {
      return 0;
    }
  }

  forget() {
    try { localStorage.removeItem(this.key); } catch { /* nothing kept */ }
  }
}

// The screen stays on while the session plays (where the browser allows a wake lock).
export class WakeLock {
  constructor() {
    this.lock = null;
  }

  async keep() {
    if (!("wakeLock" in navigator) || this.lock) return;
    try {
      this.lock = await navigator.wakeLock.request("screen");
      this.lock.addEventListener("release", () => { this.lock = null; });
    } catch {
      // Refused (battery saver, or not a secure context): the session still plays.
    }
  }

  release() {
    this.lock?.release().catch(() => {});
    this.lock = null;
  }
}

// The page, its cue audio and the service worker ready, so the session plays without network.
export async function keepOffline() {
  if (!("caches" in window)) return;
  try {
    const data = await caches.open("rubdown-data");
    await data.add(location.pathname);
    // Cue audio is fetched a little ahead of the clock as the session plays (audio.prepare),
    // and the service worker keeps each file once fetched.
    await navigator.serviceWorker?.ready;
    document.body.dataset.offline = "ready";
  } catch {
    // Caching is a bonus: without it the session still plays while the server is up.
  }
}
