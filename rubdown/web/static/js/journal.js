// The player's journal: every event is sent as it happens, and kept on the phone until the
// server has it, so a dropped connection loses nothing.
import { api } from "./common.js";

const RETRY_MS = 4000;

export class Journal {
  constructor(sessionId) {
    this.sessionId = sessionId;
    this.key = `rubdown-journal-${sessionId}`;
    this.busy = false;
    try {
      this.queue = JSON.parse(localStorage.getItem(this.key) || "[]");
    } catch {
      this.queue = [];
    }
    window.addEventListener("online", () => this.flush());
    if (this.queue.length) this.flush();
  }

  record(kind, clockS, extra = {}) {
    this.queue.push({ kind, clock_s: Math.round(clockS * 1000) / 1000, ...extra });
    this.save();
    this.flush();
  }

  finish(status, clockS) {
    this.queue.push({ finish: status, clock_s: clockS });
    this.save();
    return this.flush();
  }

  save() {
    localStorage.setItem(this.key, JSON.stringify(this.queue));
  }

  async flush() {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length) {
        await this.send(this.queue[0]);
        this.queue.shift();
        this.save();
      }
    } catch (error) {
      // Offline, or the server's disk is full (503): keep the entry and try again later.
      if (error.status === 0 || error.status === 503) {
        setTimeout(() => this.flush(), RETRY_MS);
      } else {
        // The server refused this entry for good (say, the session was ended elsewhere).
        this.queue.shift();
        this.save();
        setTimeout(() => this.flush(), 0);
      }
    } finally {
      this.busy = false;
    }
  }

  send(entry) {
    const base = `/api/sessions/${this.sessionId}`;
    if (entry.finish) {
      return api(`${base}/finish`, { method: "POST", body: { status: entry.finish, clock_s: entry.clock_s } });
    }
    return api(`${base}/events`, { method: "POST", body: entry });
  }
}
