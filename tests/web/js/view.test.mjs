// The player picks the body-map view from the position the receiver is in at each segment.
import assert from "node:assert/strict";
import { test } from "node:test";

import { positionAt } from "../../../rubdown/web/static/js/view.js";

const plan = {
  position: "lying",
  segments: [
    { kind: "oil" },
    { kind: "step", position: "lying" },
    { kind: "check-in" },
    { kind: "announce", position: "face-up" },
    { kind: "step", position: "face-up" },
    { kind: "closing" },
  ],
};

test("a segment with a position uses it", () => {
  assert.equal(positionAt(plan, 1), "lying");
  assert.equal(positionAt(plan, 3), "face-up");
});

test("a pause keeps the position the receiver is still in", () => {
  assert.equal(positionAt(plan, 2), "lying");
  assert.equal(positionAt(plan, 5), "face-up");
});

test("the opening looks ahead to the first step", () => {
  assert.equal(positionAt(plan, 0), "lying");
  assert.equal(positionAt({ position: "seated", segments: [{ kind: "oil" }] }, 0), "seated");
});
