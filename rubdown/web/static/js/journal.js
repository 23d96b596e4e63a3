// The player's journal: every event is sent as it happens, and kept on the phone until the
// server has it, so a dropped connection loses nothing. Each entry carries its own id, so an
// entry resent after a lost answer is stored once. A heartbeat tells the server the page still
// plays the session (a quiet page's session becomes "interrupted" on the server).
import { api } from "./common.js";

export const RETRY_MS = 4000;
export const HEARTBEAT_MS = 20000;
// A page left paused this long stops beating, so a forgotten tab's session becomes interrupted.
export const PAUSED_BEAT_MS = 10 * 60 * 1000;

// Waits before each resend of a request whose reply was lost (no connection), then one last try.
export const RESEND_MS = [1000, 3000];

// A random id for one entry (crypto.randomUUID needs HTTPS; getRandomValues does not).
export function newClientId(random = globalThis.crypto) {
  const bytes = new Uint8Array(12);
  random.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// POST a state-changing request under one client id (a new one unless body has it), sent again
// with that same id while there is no connection: the server applies it once and answers a
// resend as it answered the first. Any other failure is thrown at once.
export async function sendKeyed(path, body = {}, { call = api, waits = RESEND_MS, sleep = pause } = {}) {
  const keyed = { ...body, client_id: body.client_id ?? newClientId() };
  for (const wait of waits) {
    try {
      return await call(path, { method: "POST", body: keyed });
    } catch (error) {
      if (error.status !== 0) throw error;
      await sleep(wait);
    }
  }
  return call(path, { method: "POST", body: keyed });
}

function browserStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export class Journal {
  constructor(sessionId, { call = api, storage = browserStorage(), now = () => Date.now(),
    later = (fn, ms) => setTimeout(fn, ms), onInterrupted = null } = {}) {
    this.sessionId = sessionId;
    this.key = `rubdown-journal-${sessionId}`;
    this.call = call;
    this.storage = storage;
    this.now = now;
    this.later = later;
    this.onInterrupted = onInterrupted;
    this.busy = false;
    this.beatAt = -Infinity;
    this.playedAt = now();
    try {
      this.queue = JSON.parse(storage?.getItem(this.key) || "[]");
    } catch {
      this.queue = [];
    }
    // Entries kept from before ids existed get one now, so a resend is still stored once.
    for (const entry of this.queue) entry.client_id ??= newClientId();
    globalThis.addEventListener?.("online", () => this.flush());
    if (this.queue.length) this.flush();
  }

  record(kind, clockS, extra = {}) {
    // A press sent first as a change keeps its id here, so the server stores it once either way.
    this.queue.push({ kind, clock_s: Math.round(clockS * 1000) / 1000, ...extra, client_id: extra.client_id ?? newClientId() });
    this.save();
    return this.flush();
  }

  finish(status, clockS) {
    this.queue.push({ finish: status, clock_s: clockS, client_id: newClientId() });
    this.save();
    return this.flush();
  }

  // Say the page still plays, at most every HEARTBEAT_MS (events count as beats too); a page
  // paused for longer than PAUSED_BEAT_MS has been left, and says nothing.
  async heartbeat(clockS, segmentIndex = null, playing = true) {
    if (playing) this.playedAt = this.now();
    if (this.now() - this.playedAt > PAUSED_BEAT_MS) return null;
    if (this.now() - this.beatAt < HEARTBEAT_MS) return null;
    this.beatAt = this.now();
    try {
      const reply = await this.call(`/api/sessions/${this.sessionId}/heartbeat`,
        { method: "POST", body: { clock_s: Math.round(clockS * 1000) / 1000, segment_index: segmentIndex } });
      if (reply.status === "interrupted") await this.resume();
      return reply.status;
    } catch {
      return null; // no connection: the next beat tries again
    }
  }

  save() {
    try {
      this.storage?.setItem(this.key, JSON.stringify(this.queue));
    } catch {
      // Storage full or refused: the entries still go out from memory.
    }
  }

  async resume() {
    await sendKeyed(`/api/sessions/${this.sessionId}/resume`, {}, { call: this.call,
      sleep: (ms) => new Promise((resolve) => this.later(resolve, ms)) });
    this.onInterrupted?.();
  }

  async flush() {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length) {
        await this.send(this.queue[0]);
        this.queue.shift();
        this.save();
        this.beatAt = this.now();
      }
    } catch (error) {
      await this.failed(error);
    } finally {
      this.busy = false;
    }
  }

  // What to do with the entry at the head of the queue after the server did not take it.
  async failed(error) {
    // Offline, or the server's disk is full (503): keep the entry and try again later.
    if (error.status === 0 || error.status === 503) {
      this.later(() => this.flush(), RETRY_MS);
      return;
    }
    if (error.status === 409 && error.data?.session_status === "interrupted") {
      // The server took this page for gone (a long sleep): it still plays, so carry on.
      try {
        await this.resume();
        this.later(() => this.flush(), 0);
        return;
      } catch {
        // Could not resume (ended elsewhere): drop the entry below.
      }
    }
    // The server refused this entry for good (say, the session was ended elsewhere).
    this.queue.shift();
    this.save();
    this.later(() => this.flush(), 0);
  }

  send(entry) {
    const base = `/api/sessions/${this.sessionId}`;
    if (entry.finish) {
      const body = { status: entry.finish, clock_s: entry.clock_s, client_id: entry.client_id };
      return this.call(`${base}/finish`, { method: "POST", body });
    }
    return this.call(`${base}/events`, { method: "POST", body: entry });
  }
}
