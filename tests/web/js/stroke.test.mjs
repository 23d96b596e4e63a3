// Unit tests for the stroke animation's geometry (node --test tests/web/js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { OPACITY, arrowHead, focusBox, keyframes } from "../../../rubdown/web/static/js/stroke.js";
import { firmShare, repAt, ticksBetween } from "../../../rubdown/web/static/js/timeline.js";

const motion = { firm_share: 0.5, halves: ["firm", "light"] };

test("the firm path fills the first share of a repetition and the light path the rest", () => {
  const frames = keyframes({ firm: [[0, 0], [30, 0], [40, 0]], light: [[40, 0], [0, 0]] }, motion);
  assert.deepEqual(frames.map((f) => f.offset), [0, 0.375, 0.5, 0.5, 1]);
  assert.deepEqual(frames.map((f) => f.opacity), [1, 1, 1, OPACITY.light, OPACITY.light]);
  assert.equal(frames[1].transform, "translate(30px, 0px)");
});

test("offsets follow the plan's firm share, not a half fixed here", () => {
  const frames = keyframes({ firm: [[0, 0], [10, 0]], light: [[10, 0], [0, 0]] }, { ...motion, firm_share: 0.3 });
  assert.deepEqual(frames.map((f) => f.offset), [0, 0.3, 0.3, 1]);
});

test("an even stroke is drawn the same strength both ways, a lift faintest", () => {
  const even = keyframes({ firm: [[0, 0], [5, 5]], light: [[5, 5], [0, 0]] }, { firm_share: 0.5, halves: ["even", "lift"] });
  assert.deepEqual(even.map((f) => f.opacity), [OPACITY.even, OPACITY.even, OPACITY.lift, OPACITY.lift]);
  assert.ok(OPACITY.firm > OPACITY.even && OPACITY.even > OPACITY.light && OPACITY.light > OPACITY.lift);
});

test("an arrowhead points the way the path last went", () => {
  const head = arrowHead([[0, 0], [0, 20]], 4);
  const [tip, ...corners] = head.match(/-?[\d.]+ -?[\d.]+/g).map((p) => p.split(" ").map(Number));
  assert.deepEqual(tip, [0, 20]);
  for (const [, y] of corners) assert.ok(y < 20); // behind the tip: the arrow points down
});

test("the zoom box keeps the map's proportions and stays on the map", () => {
  const base = { x: 0, y: 0, width: 200, height: 420 };
  const box = focusBox([{ x: 40, y: 150, width: 20, height: 60 }], base);
  assert.ok(Math.abs(box.width / box.height - 200 / 420) < 1e-9);
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 200 && box.y + box.height <= 420);
  assert.ok(box.x <= 40 && box.x + box.width >= 60 && box.y <= 150 && box.y + box.height >= 210);
  assert.deepEqual(focusBox([{ x: 0, y: 0, width: 200, height: 420 }], base), base);
});

test("ticks and the stroke phase split each repetition where the motion says", () => {
  const seg = { kind: "step", start_s: 10, duration_s: 16, seconds_per_rep: 8, reps: 2, motion: { firm_share: 0.25 } };
  assert.equal(firmShare(seg), 0.25);
  assert.deepEqual(ticksBetween({ segments: [seg] }, 0, 30), [
    { at_s: 10, kind: "down" }, { at_s: 12, kind: "up" }, { at_s: 18, kind: "down" }, { at_s: 20, kind: "up" },
  ]);
  assert.equal(repAt(seg, 11.9).down, true);
  assert.equal(repAt(seg, 12.1).down, false);
  assert.equal(firmShare({ ...seg, motion: null }), 0.5); // plans made before motions
});
