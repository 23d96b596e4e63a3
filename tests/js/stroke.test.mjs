// Which regions a segment lights on the body map, on plans Python wrote
// (tests/js/write_fixtures.py; RUBDOWN_JS_FIXTURES names the folder).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { litRegions } from "../../rubdown/web/static/js/stroke.js";

const folder = process.env.RUBDOWN_JS_FIXTURES ?? ".tmp/js-fixtures";
const fixtures = JSON.parse(readFileSync(join(folder, "timeline.json"), "utf8"));

test("the opening and the finish light every region they glide over", () => {
  let frames = 0;
  for (const { plan } of fixtures) {
    for (const seg of plan.segments.filter((s) => s.role === "opening" || s.role === "finish")) {
      frames += 1;
      assert.ok(seg.reaches.length > 1, `${seg.role} reaches ${seg.reaches}`);
      assert.deepEqual(litRegions(seg), seg.reaches);
    }
  }
  assert.ok(frames >= 2);
});

test("any other step lights its own region, a pause none", () => {
  for (const { plan } of fixtures) {
    for (const seg of plan.segments.filter((s) => s.role === "work")) {
      assert.deepEqual(litRegions(seg), [seg.region]);
    }
    const oil = plan.segments.find((s) => s.kind === "oil");
    if (oil) assert.deepEqual(litRegions(oil), []);
  }
  assert.deepEqual(litRegions(null), []);
});
