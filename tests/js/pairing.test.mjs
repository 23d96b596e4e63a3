// Pairing links carry their code after "#": the script finds it there, whichever kind it is.
import assert from "node:assert/strict";
import { test } from "node:test";

import { pairingCode } from "../../rubdown/web/static/js/pairing.js";

test("the owner's and a remote's codes are read from the fragment", () => {
  assert.equal(pairingCode("#token=abc-_12"), "abc-_12");
  assert.equal(pairingCode("#pair=xyz"), "xyz");
  assert.equal(pairingCode("token=abc"), "abc");
});

test("a fragment without a code pairs nothing", () => {
  for (const hash of ["", "#", "#main", "#token=", "#other=1", null, undefined]) {
    assert.equal(pairingCode(hash), null, String(hash));
  }
});
