// The player's mix levels equal Python's MixSettings for any volume and slider position: the
// player looks them up in what the server sends (voice.mix.web_mix) and derives nothing itself
// (fixtures by tests/js/write_fixtures.py; RUBDOWN_JS_FIXTURES names the folder).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mixLevels } from "../../rubdown/web/static/js/audio.js";

const folder = process.env.RUBDOWN_JS_FIXTURES ?? ".tmp/js-fixtures";
const { mix, cases, defaults } = JSON.parse(readFileSync(join(folder, "mix.json"), "utf8"));

const close = (actual, expected, what) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} != ${expected}`);

test("voice, tick and background gains equal Python's for every case", () => {
  assert.ok(cases.length > 20);
  for (const c of cases) {
    const got = mixLevels({ volume: c.volume, balance: c.balance }, mix);
    close(got.voice, c.voice, `voice at ${c.volume}, ${c.balance}`);
    close(got.tick, c.tick, `tick at ${c.volume}, ${c.balance}`);
    close(got.background, c.background, `background at ${c.volume}`);
  }
});

test("unset settings take the server's defaults", () => {
  close(mixLevels({}, mix).voice, defaults.voice, "default voice gain");
});

test("the balance ends silence one side and a balance off the slider is held to it", () => {
  assert.equal(mixLevels({ volume: 1, balance: 0 }, mix).voice, 0);
  assert.equal(mixLevels({ volume: 1, balance: 1 }, mix).tick, 0);
  assert.deepEqual(mixLevels({ volume: 1, balance: 7 }, mix), mixLevels({ volume: 1, balance: 1 }, mix));
});
