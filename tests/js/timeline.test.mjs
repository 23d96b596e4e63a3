// The player's timeline computations agree with Python's on plans Python wrote
// (tests/js/write_fixtures.py; RUBDOWN_JS_FIXTURES names the folder).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { changePressure, segmentAt, ticksBetween } from "../../rubdown/web/static/js/timeline.js";

const folder = process.env.RUBDOWN_JS_FIXTURES ?? ".tmp/js-fixtures";
const fixtures = JSON.parse(readFileSync(join(folder, "timeline.json"), "utf8"));

test("fixtures are there to compare with", () => {
  assert.ok(fixtures.length >= 3);
});

test("segmentAt gives the segment Python gives at every boundary", () => {
  for (const { plan, moments } of fixtures) {
    for (const { t, index } of moments) assert.equal(segmentAt(plan, t), index, `t=${t}`);
  }
});

test("ticksBetween over the whole plan gives Python's ticks", () => {
  for (const { plan, ticks } of fixtures) {
    const mine = ticksBetween(plan, 0, plan.total_seconds + 1);
    assert.equal(mine.length, ticks.length);
    mine.forEach((tick, i) => {
      assert.equal(tick.kind, ticks[i].kind);
      assert.ok(Math.abs(tick.at_s - ticks[i].at_s) < 1e-6, `tick ${i}`);
    });
  }
});

test("ticks split at any time add up to the whole", () => {
  for (const { plan } of fixtures) {
    const whole = ticksBetween(plan, 0, plan.total_seconds);
    const cut = plan.total_seconds / 3;
    const parts = [...ticksBetween(plan, 0, cut), ...ticksBetween(plan, cut, plan.total_seconds)];
    assert.deepEqual(parts, whole);
  }
});

// Every step follows Python exactly, press after press, whatever was pressed before.
test("offline lighter and firmer give Python's pressures at every step", () => {
  for (const { plan, presses } of fixtures) {
    for (const { index, delta, after } of presses) {
      let current = plan;
      after.forEach((expected, n) => {
        current = changePressure(current, index, delta) ?? current;
        assert.deepEqual(current.segments.map((s) => s.pressure), expected, `press ${n + 1} of ${delta} at segment ${index}`);
      });
    }
  }
});

test("random runs of presses at different steps give Python's pressures after each press", () => {
  for (const { plan, sequences } of fixtures) {
    assert.ok(sequences.length > 0);
    for (const [k, run] of sequences.entries()) {
      let current = plan;
      run.forEach(({ index, delta, after }, n) => {
        current = changePressure(current, index, delta) ?? current;
        assert.deepEqual(current.segments.map((s) => s.pressure), after, `run ${k}, press ${n + 1} (${delta} at segment ${index})`);
      });
    }
  }
});

test("a segment without offline limits is not changed offline", () => {
  const { plan } = fixtures[0];
  const index = plan.segments.findIndex((s) => s.kind === "step");
  const bare = { ...plan, segments: plan.segments.map((s) => ({ ...s, offline: undefined })) };
  assert.equal(changePressure(bare, index, 1), null);
});
