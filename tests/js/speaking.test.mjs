// What the player tells the server it is saying (so voice commands are not heard in rubdown's
// own voice) ends when the sound does: a pause silences the cue, and a cue cancelled before
// it starts never counts as speaking.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AudioOut } from "../../rubdown/web/static/js/audio.js";

// An AudioOut on a hand-moved audio clock, with one cue sounding from 10 s to 60 s.
function sounding() {
  const audio = new AudioOut({ voice: "server" });
  audio.ctx = { currentTime: 12 };
  audio.playing = [[{ text: "the opening" }, 10, 60]];
  return audio;
}

test("a cue is speaking while it sounds", () => {
  const audio = sounding();
  assert.equal(audio.speaking().text, "the opening");
  assert.equal(audio.speaking(59).text, "the opening");
});

test("a pause ends what was speaking: later, commands are not taken for rubdown's voice", () => {
  const audio = sounding();
  audio.silence();
  assert.equal(audio.speaking(), null);
  assert.equal(audio.speaking(30), null);
  assert.equal(audio.speaking(11).text, "the opening"); // what was said before still was
});

test("a cue cancelled before it starts never counts as speaking", () => {
  const audio = sounding();
  audio.playing.push([{ text: "the next step" }, 70, 80]);
  audio.cancelFuture();
  assert.equal(audio.speaking(75), null);
  assert.equal(audio.speaking(30).text, "the opening"); // the current cue finishes
});
