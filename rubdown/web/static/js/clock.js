// The session clock: pausable, seekable, and optionally faster than real time (?speed=X).

export class SessionClock {
  constructor(speed = 1, now = () => performance.now()) {
    this.speed = speed;
    this.now = now;
    this.base = 0; // session seconds at the anchor
    this.anchor = null; // performance.now() when last started, null while paused
  }

  get running() {
    return this.anchor !== null;
  }

  time() {
    return this.timeAt(this.now());
  }

  // The session time at a performance.now() reading (an animation frame's, say).
  timeAt(perf) {
    if (this.anchor === null) return this.base;
    return this.base + (Math.max(0, perf - this.anchor) / 1000) * this.speed;
  }

  // leadMs: the clock holds still that long first, so sounds due at the start can be
  // scheduled ahead like every other one instead of starting late.
  start(leadMs = 0) {
    if (this.anchor === null) this.anchor = this.now() + leadMs;
  }

  pause() {
    if (this.anchor === null) return;
    this.base = this.time();
    this.anchor = null;
  }

  seek(seconds) {
    this.base = Math.max(0, seconds);
    if (this.anchor !== null) this.anchor = this.now();
  }

  // The performance.now() reading at which the session clock reaches `seconds`.
  perfAt(seconds) {
    const anchor = this.anchor === null ? this.now() : this.anchor;
    return anchor + ((seconds - this.base) * 1000) / this.speed;
  }
}
