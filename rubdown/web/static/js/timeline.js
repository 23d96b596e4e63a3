// Reading a plan (the plan JSON of docs/architecture.md) at a point on the session clock.

// The same tolerance as rubdown.core.timeline.EPS, so both sides agree at a boundary.
const EPS = 1e-9;

export function segmentAt(plan, t) {
  const segments = plan.segments;
  for (let i = 0; i < segments.length; i++) {
    if (t + EPS < segments[i].start_s + segments[i].duration_s) return i;
  }
  return segments.length - 1;
}

// Which repetition is under way, and whether it is in its first (down) or second (up) half.
export function repAt(seg, t, plan = null) {
  if (!seg || seg.kind !== "step" || !seg.seconds_per_rep || !seg.reps) return null;
  const elapsed = Math.max(0, t - seg.start_s) / seg.seconds_per_rep;
  const rep = Math.min(Math.floor(elapsed), seg.reps - 1);
  const frac = Math.min(elapsed - rep, 1);
  // A step split around a check-in counts on across its parts, as the spoken intro does.
  const parts = plan ? plan.segments.filter(
    (s) => s.kind === "step" && s.step_index === seg.step_index && s.side === seg.side) : [seg];
  const before = parts.filter((s) => s.start_s < seg.start_s).reduce((n, s) => n + s.reps, 0);
  const of = parts.reduce((n, s) => n + s.reps, 0);
  const share = firmShare(seg);
  const down = frac < share;
  return { rep: before + rep + 1, of, down, half: down ? frac / share : (frac - share) / (1 - share) };
}

// How far into each repetition its light part (and the 'up' tick) begins: the plan says.
export function firmShare(seg) {
  return seg.motion?.firm_share ?? 0.5;
}

// Rhythm ticks in [from, to): "down" as each repetition's firm part starts, "up" as its light
// part does (rubdown.core.timeline.segment_ticks places them the same way).
export function ticksBetween(plan, from, to) {
  const ticks = [];
  for (const seg of plan.segments) {
    const end = seg.start_s + seg.duration_s;
    if (seg.kind !== "step" || !seg.seconds_per_rep || !seg.reps || end <= from || seg.start_s >= to) continue;
    const pace = seg.seconds_per_rep;
    const share = firmShare(seg);
    const first = Math.max(0, Math.floor((from - seg.start_s) / pace - 1e-9));
    for (let rep = first; rep < seg.reps; rep++) {
      const start = seg.start_s + rep * pace;
      if (start >= to) break;
      for (const [at, kind] of [[start, "down"], [start + pace * share, "up"]]) {
        if (at >= from - 1e-9 && at < to) ticks.push({ at_s: at, kind });
      }
    }
  }
  return ticks;
}

export function cuesBetween(cues, from, to) {
  return cues.filter((cue) => cue.at_s >= from && cue.at_s < to);
}

// The cues one talk says, in order: each cue names the talks that say it ("full", "less"), as
// the server placed them the way the guide's voice does. A cue kept from before talks were
// named (a session cached on the phone) is said in either talk.
export function talkCues(cues, less) {
  const talk = less ? "less" : "full";
  return cues.filter((cue) => cue.talks?.includes(talk) ?? true);
}

// The ordered distinct steps, so the page can say "step 3 of 9".
export function stepNumbers(plan) {
  const order = [];
  for (const seg of plan.segments) {
    if (seg.kind === "step" && !order.includes(seg.step_index)) order.push(seg.step_index);
  }
  return order;
}

// The next segment that is a different step, or the closing.
export function nextAfter(plan, i) {
  const here = plan.segments[i];
  for (let j = i + 1; j < plan.segments.length; j++) {
    const seg = plan.segments[j];
    if (seg.kind === "step" && seg.step_index !== here.step_index) return seg;
    if (seg.kind === "closing") return seg;
  }
  return null;
}

// Lighter or firmer without the server: this and later steps on the same region move by one,
// each within the bounds the server put on it ("offline": its cap, and at most `ramp` above
// the step `beside` it, before it, unless that one is done: before the pressed step), as
// rubdown.core.adjust.change_pressure bounds it, so any sequence of presses gives the
// pressures Python would.
export function changePressure(plan, index, delta) {
  const current = plan.segments[index];
  if (current.kind !== "step" || !current.region || !current.offline) return null;
  const segments = plan.segments.slice();
  // In order, as in Python: each step is bounded by the step before it as already changed.
  segments.forEach((seg, i) => {
    if (i < index || seg.kind !== "step" || seg.region !== current.region || seg.pressure == null || !seg.offline) return;
    segments[i] = { ...seg, pressure: bounded(segments, seg.offline, seg.pressure + delta, index) };
  });
  return segments[index].pressure !== current.pressure ? { ...plan, segments } : null;
}

// A wanted pressure within a step's offline bounds, against the step before it as it is now,
// unless that step is done (before the pressed segment).
export function bounded(segments, { cap, ramp, beside }, wanted, pressed = 0) {
  const own = Math.min(Math.max(wanted, 1), cap);
  return beside
    .filter((j) => j >= pressed)
    .reduce((value, j) => Math.min(value, (segments[j].pressure ?? 1) + ramp), own);
}
