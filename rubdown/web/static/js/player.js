// The guided player: plays a session from the server's live plan, journals every event,
// takes the giver's buttons and keys and the receiver's remote, and keeps the screen awake.
import { api, applyTheme, clockText, loadSettings, saveSettings } from "./common.js";
import { SessionClock } from "./clock.js";
import { AudioOut, mixPanel } from "./audio.js";
import { Scheduler } from "./schedule.js";
import { Journal, newClientId, sendKeyed } from "./journal.js";
import { PlayerView } from "./view.js";
import { changePressure, segmentAt } from "./timeline.js";
import { bindDialogs, fillFavourites } from "./player-dialogs.js";
import { Screen, guardLeaving, warnIfInsecure } from "./floor.js";
import { CheckIn } from "./checkin.js";
import { Position, WakeLock, keepOffline } from "./player-keep.js";
import { Listening } from "./listen.js";
import { PressureCheck } from "./pressure-check.js";

const root = document.querySelector("main.player");
const sessionId = Number(root.dataset.session);
const START_LEAD_MS = 120; // the first cue is scheduled ahead, not started late
const STILL_FRAME_MS = 200; // how often a still screen is redrawn
const FIRST_AUDIO_S = 20; // real seconds of cue audio fetched before Begin is offered (the decode window)
// The giver's own press is resent once, quickly, before it is kept on the phone (offline).
const PRESS_RESEND_MS = [250];
const speed = Math.min(Math.max(Number(new URLSearchParams(location.search).get("speed")) || 1, 0.1), 1000);
const settings = loadSettings();
const clock = new SessionClock(speed);
const audio = new AudioOut(settings);
const scheduler = new Scheduler(clock, audio);
const journal = new Journal(sessionId);
const view = new PlayerView(root, { clock });
const screen = new Screen(root);
const checkin = new CheckIn({ speed, hold: holdForAnswer, release: goOnAfterAnswer, skipTo: goOnAfterAnswer });
const pressureCheck = new PressureCheck({ root, sessionId, screen, clockS: () => clock.time(),
  onMessage: (message, own) => handle(message, own), onError: (text) => say(text) });
const playButton = document.getElementById("play-btn");
const playWord = document.getElementById("play-word");
const announcer = document.getElementById("announce");
const position = new Position(sessionId);
const wake = new WakeLock();
const state = { plan: null, cues: [], version: -1, status: root.dataset.status, started: false, done: false, current: null, payload: {} };
// Exposed for the browser tests and bench/web.py (arrival times of live messages included).
window.__rubdown = { clock, audio, state, scheduler, checkin, arrivals: [], screens: [] };

function announce(text) {
  announcer.textContent = text;
}

function segment(i) {
  return state.plan.segments[i];
}

function record(kind, clockS, i, data, clientId = undefined) {
  const seg = i == null ? null : segment(i);
  journal.record(kind, clockS, { segment_index: i ?? null, region: seg?.region ?? null,
    technique: seg?.technique ?? null, speed, ...(data ? { data } : {}), ...(clientId ? { client_id: clientId } : {}) });
}

// Take a plan from the server (first load, or after a change made anywhere).
function adopt(payload) {
  if (payload.version <= state.version) return false;
  state.plan = payload.plan;
  state.cues = payload.cues;
  state.version = payload.version;
  scheduler.setPlan(state.plan, state.cues);
  const { version, plan, cues } = payload;
  cacheSession(payload.voice ? payload : { version, plan, cues });
  redraw();
  return true;
}

// Show the plan as it now stands at the clock's position, paused or not: the step, its
// instruction, its pressure, the step counter, the "Next" line and the time left.
function redraw() {
  if (!state.plan) return;
  const total = state.plan.total_seconds;
  const t = Math.min(clock.time(), total);
  const i = segmentAt(state.plan, Math.min(t, total - 1e-6));
  enterSegment(i);
  view.frame(state.plan, i, t);
}

// Keep the session as it now stands in the offline cache, so a reload without network plays it.
async function cacheSession(payload) {
  state.payload = { ...state.payload, ...payload };
  if (!("caches" in window) || !state.payload.voice) return;
  const cache = await caches.open("rubdown-data");
  const body = JSON.stringify(state.payload);
  await cache.put(`/api/sessions/${sessionId}`, new Response(body, { headers: { "content-type": "application/json" } }));
}

let stillFrame = -Infinity;

function onFrame(now) {
  requestAnimationFrame(onFrame); // first, so one failed frame cannot stop the loop
  // A still clock (before Begin, paused, waiting for an answer) needs only a few frames a
  // second: enough for the answer's countdown, and a phone on the floor stays cool.
  if (!clock.running) {
    if (now - stillFrame < STILL_FRAME_MS) return;
    stillFrame = now;
  }
  if (state.plan && !state.done) {
    const t = clock.time();
    journal.heartbeat(Math.min(t, state.plan.total_seconds), view.index ?? null, clock.running);
    if (clock.running && t >= state.plan.total_seconds) { finish(); return; }
    const i = segmentAt(state.plan, Math.min(t, state.plan.total_seconds - 1e-6));
    // The segment shown last frame: a fast clock may have passed the check-in's end already.
    if (clock.running && view.index >= 0 && checkin.check(state.plan, view.index, t)) return;
    if (i !== view.index) enterSegment(i);
    view.frame(state.plan, i, Math.min(t, state.plan.total_seconds));
    if (checkin.waiting) showWaiting();
    if (clock.running) position.save(clock.time(), state.version);
  }
}

// The check-in's own time is up: the clock holds until an answer comes, or the limit passes.
function holdForAnswer(at, i) {
  clock.pause();
  clock.seek(at);
  scheduler.stop();
  record("paused", at, i, { reason: "check-in" });
  playWord.textContent = "Go on";
}

function showWaiting() {
  view.el.countdown.textContent = clockText(checkin.remaining());
  view.el["step-count"].textContent = "Waiting for an answer";
}

// An answer (or the limit): on from the end of the check-in.
function goOnAfterAnswer(end, i, answer) {
  clock.seek(end);
  scheduler.rewind();
  if (clock.running || !state.started) { redraw(); return; }
  resume({ answer });
}

async function answer(choice) {
  if (!state.plan || state.done) return;
  try {
    const body = { answer: choice, by: "giver", clock_s: clock.time() };
    const message = await sendKeyed(`/api/sessions/${sessionId}/answer`, body, { waits: PRESS_RESEND_MS });
    handle(message, true);
  } catch (error) {
    if (error.status === 0) { showOffline(true); checkin.finish(choice, state.plan, view.index); }
    else say(error.message);
  }
}

// Redraw for a new segment; journal it once the clock really moved into another one.
function enterSegment(i) {
  const seg = segment(i);
  const last = state.current;
  const same = last && last.index === i && Math.abs(last.start_s - seg.start_s) < 1e-6;
  const text = view.showSegment(state.plan, i, !same);
  if (!same) announce(text);
  showCheckIn(seg.kind === "check-in" && state.started && !state.done);
  pressureCheck.show(seg.kind === "calibrate" && state.started && !state.done);
  if (!state.started) return;
  if (!clock.running || same) return;
  const t = clock.time();
  if (last && t >= last.end_s - 0.05) record("segment-finished", last.end_s, last.index);
  markStarted(i, Math.max(t, seg.start_s));
}

function markStarted(i, at) {
  const seg = segment(i);
  state.current = { index: i, start_s: seg.start_s, end_s: seg.start_s + seg.duration_s };
  record("segment-started", at, i);
}

async function begin() {
  await audio.unlock();
  wake.keep();
  if (state.status === "interrupted") {
    await sendKeyed(`/api/sessions/${sessionId}/resume`).catch(() => null);
    state.status = "running";
  }
  state.started = true;
  clock.start(START_LEAD_MS);
  scheduler.start();
  const i = segmentAt(state.plan, clock.time());
  if (clock.time() > 0) record("resumed", clock.time(), i);
  markStarted(i, clock.time());
  pressureCheck.show(segment(i).kind === "calibrate");
  showRunning(true);
}

function pause(journalIt = true) {
  if (!clock.running) return;
  clock.pause();
  scheduler.stop();
  position.save(clock.time(), state.version, true);
  if (journalIt) record("paused", clock.time(), view.index);
  showRunning(false);
}

async function resume(data, journalIt = true) {
  await audio.unlock();
  wake.keep();
  clock.start(START_LEAD_MS);
  scheduler.start();
  if (journalIt) record("resumed", clock.time(), segmentAt(state.plan, clock.time()), data);
  // A skip or back while paused moved to another segment: it starts now.
  const seg = segment(view.index);
  const last = state.current;
  if (!last || last.index !== view.index || Math.abs(last.start_s - seg.start_s) > 1e-6) {
    markStarted(view.index, Math.max(clock.time(), seg.start_s));
  }
  showRunning(true);
}

function toggle() {
  if (state.done || !state.plan) return;
  if (!state.started) begin();
  else if (checkin.waiting) checkin.finish("none");
  else if (clock.running) pause();
  else resume();
}

function showRunning(running) {
  playWord.textContent = running ? "Pause" : "Resume";
  root.classList.add("started");
  root.classList.toggle("paused", !running);
  screen.set("paused", !running);
  if (running) screen.set("stopped", false);
}

// A check-in turns the screen and swaps the pressure zones for the receiver's answers.
function showCheckIn(on) {
  screen.set("check-in", on);
  document.getElementById("answers").hidden = !on;
  root.querySelector(".zones").hidden = on;
}

function showOffline(on) {
  screen.set("offline", on);
}

async function finish() {
  state.done = true;
  clock.pause();
  scheduler.stop();
  position.forget();
  const total = state.plan.total_seconds;
  const last = state.plan.segments.length - 1;
  record("segment-finished", total, last);
  announce("The session is over. Well done.");
  playWord.textContent = "Done";
  playButton.disabled = true;
  wake.release();
  await journal.finish("finished", total);
  await drained();
  fillFavourites(state.plan);
  document.getElementById("end-dialog").showModal();
}

// The end reaches the server before the page moves on (a busy journal sends it a moment later).
async function drained(limitMs = 5000) {
  const until = performance.now() + limitMs;
  while (journal.queue.length && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
}

async function quit() {
  state.done = true;
  const t = clock.time();
  pause(false);
  position.forget();
  wake.release();
  await journal.finish("quit", t);
  await drained();
  location.href = "/history";
}

// Lighter, firmer, more, skip, back: the server changes the plan and tells every page.
async function control(action) {
  if (!state.plan || state.done) return;
  // Its id goes with the change and, if the server cannot be reached, with the journal entry
  // kept for it: a press that did arrive (its reply lost) is then stored once, not twice.
  const body = { action, by: "giver", clock_s: clock.time(), client_id: newClientId() };
  try {
    const message = await sendKeyed(`/api/sessions/${sessionId}/control`, body, { waits: PRESS_RESEND_MS });
    handle(message, true);
  } catch (error) {
    if (error.status === 0) offlineControl(action, body.client_id);
    else say(error.message);
  }
}

// Without the server: pressure changes and jumps still work on this phone; they are journalled later.
function offlineControl(action, clientId) {
  const t = clock.time();
  const i = segmentAt(state.plan, t);
  const note = document.getElementById("offline-note");
  note.textContent = "No connection: the change is kept on this phone and sent later.";
  showOffline(true);
  if (action === "lighter" || action === "firmer") {
    const changed = changePressure(state.plan, i, action === "lighter" ? -1 : 1);
    if (changed) {
      state.plan = changed;
      scheduler.setPlan(state.plan, state.cues);
      // Kept with the cached session, so a reload without the server keeps the change.
      cacheSession({ version: state.version, plan: state.plan, cues: state.cues });
      redraw();
    }
    record(action, t, i, { offline: true, pressure: segment(i).pressure }, clientId);
    say(`${action === "lighter" ? "Lighter" : "Firmer"}: pressure ${segment(i).pressure} from now on.`);
  } else if (action === "skip" || action === "back") {
    const target = jumpTarget(i, action);
    if (target == null) return;
    record(action === "skip" ? "segment-skipped" : "back", t, i, { offline: true }, clientId);
    clock.seek(state.plan.segments[target].start_s);
    scheduler.rewind();
    position.save(clock.time(), state.version, true);
    redraw();
  } else {
    say("More time needs the connection to rubdown.");
  }
}

function jumpTarget(i, action) {
  if (action === "skip") return i + 1 < state.plan.segments.length ? i + 1 : null;
  const here = segment(i).step_index;
  let j = i - 1;
  while (j >= 0 && (segment(j).kind !== "step" || segment(j).step_index === here)) j--;
  if (j < 0) return null;
  return state.plan.segments.findIndex((seg) => seg.step_index === segment(j).step_index);
}

function say(text, key, urgent = false) {
  if (!text) return;
  document.getElementById("say").textContent = text;
  if (urgent) document.getElementById("alert").textContent = text;
  else announce(text);
  audio.sayNow(text, key);
}

// A message from the server: our own answer (own = true) or the live stream.
function handle(message, own) {
  if (!own) window.__rubdown.arrivals.push({ type: message.type, by: message.by, at: performance.timeOrigin + performance.now() });
  // The receiver's presses and spoken commands are said aloud here; our own come as answers.
  const theirs = own || message.by === "receiver" || message.by === "voice";
  if (message.type === "plan") {
    // The live stream may bring our own change before the answer does: adopt whichever comes
    // first, and show the note once, from our own answer (or from the receiver's press).
    adopt(message);
    if (theirs) say(message.say, message.say_key);
  } else if (message.type === "note") {
    // "Go on" said while paused: the server journaled it; the clock runs again here.
    if (message.action === "resume" && state.started && !clock.running && !state.done) resume(undefined, false);
    if (theirs) say(message.say, message.say_key);
  } else if (message.type === "answer") {
    if (message.plan) adopt(message);
    if (theirs) say(message.say, message.say_key);
    checkin.finish(message.answer, state.plan, segmentAt(state.plan, clock.time()));
  } else if (message.type === "check") {
    if (message.plan) adopt(message);
    if (theirs) say(message.say, message.say_key);
    pressureCheck.handle(message);
  } else if (message.type === "pause") {
    pause(false);
    screen.set("stopped", true);
    say(message.say, message.say_key, true);
  } else if (message.type === "state" && message.version > state.version) {
    reload();
  } else if (message.type === "presence" || message.type === "state") {
    showRemote(message.watchers);
  }
}

function showRemote(watchers) {
  if (watchers == null) return;
  const chip = document.getElementById("remote-status");
  chip.textContent = watchers > 1 ? "Remote on" : "Remote";
  chip.parentElement.classList.toggle("on", watchers > 1);
}

async function reload() {
  const payload = await api(`/api/sessions/${sessionId}`).catch(() => null);
  if (payload) adopt(payload);
}

function listen() {
  if (!("EventSource" in window)) return;
  const stream = new EventSource(`/api/sessions/${sessionId}/stream`);
  let lost = null;
  stream.onmessage = (event) => handle(JSON.parse(event.data), false);
  stream.onopen = () => { clearTimeout(lost); showOffline(!navigator.onLine); };
  // A dropped stream reconnects by itself; only a lasting loss is "offline".
  stream.onerror = () => {
    showRemote(0);
    clearTimeout(lost);
    lost = setTimeout(() => showOffline(stream.readyState !== EventSource.OPEN), 2500);
  };
  window.addEventListener("offline", () => showOffline(true));
  window.addEventListener("online", () => showOffline(stream.readyState !== EventSource.OPEN));
}

// During the pressure check the pressure keys answer it instead.
const ACTIONS = { toggle, lighter: () => (pressureCheck.on ? pressureCheck.send("less") : control("lighter")),
  firmer: () => (pressureCheck.on ? pressureCheck.send("more") : control("firmer")),
  more: () => control("more"), skip: () => control("skip"), back: () => control("back") };
const KEYS = { " ": "toggle", l: "lighter", f: "firmer", m: "more", s: "skip", n: "skip", b: "back" };

function bindControls() {
  root.querySelectorAll("[data-action]").forEach((button) => {
    button.addEventListener("click", () => ACTIONS[button.dataset.action]());
  });
  root.querySelectorAll("[data-answer]").forEach((button) => {
    button.addEventListener("click", () => answer(button.dataset.answer));
  });
  const handler = (event) => {
    const action = KEYS[event.key.toLowerCase()];
    if (!action || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]") || event.target.closest("input, select, textarea")) return;
    event.preventDefault(); // space on a focused button must pause, not press that button
    if (event.type === "keydown" && !event.repeat) ACTIONS[action]();
  };
  document.addEventListener("keydown", handler);
  document.addEventListener("keyup", handler);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && clock.running) wake.keep();
  });
}

function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function boot() {
  const payload = await api(`/api/sessions/${sessionId}`).catch((error) => ({ error }));
  if (payload.error) { view.el["step-what"].textContent = "This session cannot be loaded right now."; return; }
  adopt(payload);
  if (payload.checkin_wait_s) checkin.limitS = payload.checkin_wait_s;
  state.status = payload.status;
  const live = ["running", "interrupted"].includes(payload.status);
  // Offline, the cached session is as old as its last load: this phone knows better where it was.
  const resumeAt = live ? Math.max(payload.position_s || 0, position.saved()) : 0;
  if (resumeAt > 0 && resumeAt < payload.plan.total_seconds) clock.seek(resumeAt);
  state.done = !live;
  redraw();
  // The screen is drawn: let it paint before the sound is set up (its own tasks, none long).
  await nextTask();
  audio.setVoice(payload.voice);
  panel.voices(payload.voice);
  showVoiceProgress(payload.voice);
  await nextTask();
  await audio.loadTicks(payload.voice.ticks);
  // Begin waits for the first cues (made first on the server), never for the whole session.
  await Promise.race([audio.prepare(state.cues, clock.time(), clock.time() + FIRST_AUDIO_S * speed), new Promise((r) => setTimeout(r, 8000))]);
  playButton.disabled = state.done;
  playWord.textContent = state.done ? "Ended" : clock.time() > 0 ? "Continue" : "Begin";
  document.body.dataset.ready = "true";
  keepOffline();
}

// "Preparing the voice: 12 of 47" while the server makes the rest in the background.
async function showVoiceProgress(voice) {
  if (!voice?.server || !voice.progress_url) return;
  const line = document.createElement("p");
  line.id = "voice-progress";
  line.className = "quiet";
  line.setAttribute("aria-live", "polite");
  playButton.after(line);
  for (;;) {
    const status = await api(voice.progress_url).catch(() => null);
    if (!status || status.done || status.ready >= status.total) { line.remove(); return; }
    line.textContent = `Preparing the voice: ${status.ready} of ${status.total} cues ready`;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

bindControls();
// Mix settings apply at once; a changed voice, talk or tick setting also re-plans what is queued.
const panel = mixPanel(document.getElementById("settings-form"), settings, () => { audio.applyMix(); saveSettings(settings); scheduler.rewind(); });
warnIfInsecure();
guardLeaving(() => state.started && !state.done, () => clock.running, () => { pause(); position.save(clock.time(), state.version, true); });
bindDialogs({ settings, saveSettings, applyTheme, quit, sessionId, onChange: () => scheduler.rewind() });
listen();
const listenButton = document.getElementById("listen-btn");
window.__rubdown.listening = new Listening({ sessionId, button: listenButton, status: document.getElementById("listen-status"),
  echo: document.getElementById("listen-echo"), worklet: listenButton.dataset.worklet, speaking: () => audio.speaking(),
  settings, wakeBox: document.getElementById("listen-wake") });
requestAnimationFrame(onFrame);
boot();
