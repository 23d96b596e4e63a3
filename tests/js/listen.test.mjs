// The Listen switch's plain parts: why it cannot listen (no secure page, no microphone, a
// refusal), and the resampling of the microphone to 16 kHz 16-bit samples.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Resampler, listenProblem, micProblem, serverProblem } from "../../rubdown/web/static/js/listen.js";

const getUserMedia = async () => ({});
const window = (over) => ({ isSecureContext: true, AudioWorkletNode: class {}, navigator: { mediaDevices: { getUserMedia } }, ...over });

test("a secure page with a microphone API has nothing to explain", () => {
  assert.equal(listenProblem(window({})), null);
});

test("an insecure page says listening needs https or this computer's own address", () => {
  const why = listenProblem(window({ isSecureContext: false }));
  assert.match(why, /secure page/);
  assert.match(why, /https/);
  assert.match(why, /127\.0\.0\.1/);
});

test("a browser without getUserMedia or audio worklets says which browser will do", () => {
  for (const over of [{ navigator: {} }, { navigator: { mediaDevices: {} } }, { AudioWorkletNode: undefined }]) {
    assert.match(listenProblem(window(over)), /cannot lend its microphone/);
  }
});

const refusals = [
  ["NotAllowedError", /refused: allow it .* site settings/],
  ["NotFoundError", /No microphone was found: plug one in/],
  ["NotReadableError", /busy in another app/],
  ["AbortError", /could not be opened \(AbortError\)/],
];
for (const [name, words] of refusals) {
  test(`a ${name} from getUserMedia says why and what to do`, () => {
    assert.match(micProblem({ name }), words);
  });
}

test("a server's refusal is shown in its own words, saying listening is off", () => {
  const why = serverProblem(new Error("voice commands need the 'listen' extra: pip install '.[listen]'"));
  assert.equal(why, "Listening is off: voice commands need the 'listen' extra: pip install '.[listen]'");
});

test("48 kHz becomes a third as many samples, scaled to 16 bits and clamped", () => {
  const r = new Resampler(48000);
  const out = r.push(Float32Array.from([0.5, 0.5, 0.5, -2, -2, -2, 0, 0]));
  assert.deepEqual(Array.from(out), [16384, -32767]);
  // Two zeros were carried over: the next sample averages them with 0.25.
  assert.deepEqual(Array.from(r.push(Float32Array.from([0.25]))), [Math.round((0.25 / 3) * 32767)]);
});

test("44.1 kHz in blocks of 128 yields 16 kHz overall, the fraction carried between blocks", () => {
  const r = new Resampler(44100);
  let n = 0;
  const blocks = 345;
  for (let i = 0; i < blocks; i++) n += r.push(new Float32Array(128)).length;
  assert.equal(n, Math.floor((16000 * blocks * 128) / 44100));
});
