// Check-ins that wait for an answer: at the end of its own time a check-in holds the clock
// until the receiver (or the giver) answers, or until the server's limit passes; then it goes on.
const HOLD_EPS_S = 0.02; // held just inside the check-in, so the clock still points at it

export class CheckIn {
  constructor({ speed, hold, release, skipTo }) {
    Object.assign(this, { speed, hold, release, skipTo });
    this.limitS = 30;
    this.waiting = null;
    this.answered = new Set();
    this.timer = null;
  }

  // Called every frame while the clock runs, with the segment shown so far; true when it holds.
  check(plan, i, t) {
    const seg = plan.segments[i];
    if (!seg) return false;
    if (this.waiting || seg.kind !== "check-in" || this.answered.has(seg.start_s)) return false;
    const end = seg.start_s + seg.duration_s;
    if (t < end - HOLD_EPS_S) return false;
    this.waiting = { start: seg.start_s, end, index: i, since: performance.now() };
    this.hold(end - HOLD_EPS_S, i);
    this.timer = setTimeout(() => this.finish("none"), (this.limitS * 1000) / this.speed);
    return true;
  }

  // Seconds of the wait still to go, on the session's scale.
  remaining() {
    if (!this.waiting) return 0;
    return Math.max(0, this.limitS - ((performance.now() - this.waiting.since) * this.speed) / 1000);
  }

  // An answer, or the limit: the check-in is over and the session goes on (only once).
  finish(answer, plan = null, index = null) {
    clearTimeout(this.timer);
    if (this.waiting) {
      const { start, end, index: at } = this.waiting;
      this.waiting = null;
      this.answered.add(start);
      this.release(end, at, answer);
      return;
    }
    const seg = plan && index != null ? plan.segments[index] : null;
    if (seg?.kind !== "check-in" || this.answered.has(seg.start_s)) return;
    this.answered.add(seg.start_s);
    this.skipTo(seg.start_s + seg.duration_s, index, answer);
  }
}
