// Looks a little ahead on the session clock and hands every cue and tick due in that window
// to the audio clock, which starts each one exactly on time.
import { cuesBetween, ticksBetween } from "./timeline.js";

const LOOKAHEAD_S = 1.2; // real seconds scheduled ahead: covers a busy or throttled page
const PUMP_MS = 50;
const DECODE_WINDOW_S = 20; // real seconds of cues decoded ahead of the clock

export class Scheduler {
  constructor(clock, audio) {
    this.clock = clock;
    this.audio = audio;
    this.plan = null;
    this.cues = [];
    this.horizon = 0;
    this.timer = null;
  }

  setPlan(plan, cues) {
    this.plan = plan;
    this.cues = cues;
    this.rewind();
  }

  // Drop what was scheduled ahead and plan again from the clock's present.
  rewind() {
    this.horizon = this.clock.time();
    this.audio.cancelFuture();
    if (this.timer) this.pump();
  }

  start() {
    this.horizon = this.clock.time();
    if (!this.timer) this.timer = setInterval(() => this.pump(), PUMP_MS);
    this.pump();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.audio.silence();
  }

  pump() {
    if (!this.plan || !this.clock.running) return;
    const now = this.clock.time();
    const speed = this.clock.speed;
    this.audio.prepare(this.cues, now, now + DECODE_WINDOW_S * speed);
    const until = Math.max(now + LOOKAHEAD_S * speed, this.horizon);
    if (until <= this.horizon) return;
    for (const cue of cuesBetween(this.audio.talk(this.cues), this.horizon, until)) {
      this.audio.cue(cue, this.clock.perfAt(cue.at_s));
    }
    for (const tick of ticksBetween(this.plan, this.horizon, until)) {
      this.audio.tick(tick.kind, this.clock.perfAt(tick.at_s));
    }
    this.horizon = until;
  }
}
