// What the player says when (the server's cue list through the player's Scheduler and talk
// choice) equals what the guide's voice says in Python, in both talks, on plans Python wrote
// (tests/js/write_fixtures.py; RUBDOWN_JS_FIXTURES names the folder).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AudioOut } from "../../rubdown/web/static/js/audio.js";
import { Scheduler } from "../../rubdown/web/static/js/schedule.js";
import { talkCues } from "../../rubdown/web/static/js/timeline.js";

const folder = process.env.RUBDOWN_JS_FIXTURES ?? ".tmp/js-fixtures";
const fixtures = JSON.parse(readFileSync(join(folder, "timeline.json"), "utf8"));

// The real AudioOut's talk choice, with the sound itself replaced by a list of what was said.
class Said extends AudioOut {
  constructor(less) {
    super({ less, voice: "device" });
    this.said = [];
  }
  prepare() { return Promise.resolve([]); }
  cue(cue) { this.said.push({ at_s: cue.at_s, text: cue.text }); }
  tick() {}
  cancelFuture() {}
  silence() {}
}

// Play a plan through the Scheduler on a clock moved by hand in uneven steps.
function play(plan, cues, less, steps = [0.05, 0.4, 1.3, 0.07]) {
  const clock = { t: 0, speed: 1, running: true, time() { return this.t; }, perfAt: (t) => t * 1000 };
  const audio = new Said(less);
  const scheduler = new Scheduler(clock, audio);
  scheduler.setPlan(plan, cues);
  scheduler.start();
  for (let n = 0; clock.t <= plan.total_seconds + 2; n++) {
    clock.t += steps[n % steps.length];
    scheduler.pump();
  }
  scheduler.stop();
  return audio.said;
}

test("every plan has cues in both talks, and less talking says less", () => {
  for (const { cues, talks } of fixtures) {
    assert.ok(talks.full.length > 0 && talks.less.length > 0);
    const words = (list) => list.reduce((n, cue) => n + cue.text.length, 0);
    assert.ok(words(talkCues(cues, true)) < words(talkCues(cues, false)));
  }
});

for (const [talk, less] of [["full", false], ["less", true]]) {
  test(`the player's ${talk} talk says what the guide says, when it says it`, () => {
    for (const { plan, cues, talks } of fixtures) {
      assert.deepEqual(play(plan, cues, less), talks[talk]);
    }
  });
}

test("a cue list from before talks were named plays every cue in either talk", () => {
  const { plan, cues, talks } = fixtures[0];
  const old = talkCues(cues, false).map((cue) => Object.fromEntries(Object.entries(cue).filter(([name]) => name !== "talks")));
  assert.deepEqual(play(plan, old, false), talks.full);
  assert.deepEqual(play(plan, old, true), talks.full);
});
