// The receiver's remote: four whole-screen zones (lighter, firmer, more here, stop), answers when
// the giver checks in, what is happening now, and a buzz when the hands move to a new area.
import { sendKeyed } from "./journal.js";

const root = document.querySelector("main.remote");
const sessionId = Number(root.dataset.session);
const area = document.getElementById("remote-area");
const detail = document.getElementById("remote-detail");
const sent = document.getElementById("remote-sent");
const WORDS = { lighter: "lighter", firmer: "firmer", more: "more time here", stop: "stop",
  good: "that feels good", stay: "perfect, stay here", less: "less", right: "right" };
// Each zone buzzes its own way, so it can be used with eyes closed.
const BUZZ = { lighter: [40], firmer: [40, 60, 40], more: [120], stop: [200, 80, 200],
  good: [40], stay: [120], less: [40], right: [120] };
const NEW_AREA = [80, 80, 80];
const CHECK_IN = [250, 100, 60];
let last = { region: null, kind: null };
let checkDone = false; // a "right" or the last round ended the pressure check

window.__remote = { pressed: [], buzzes: [] }; // press times and buzzes, for tests and bench/web.py

function buzz(pattern) {
  window.__remote.buzzes.push(pattern);
  navigator.vibrate?.(pattern);
}

function show(state) {
  if (state.status && state.status !== "running") {
    setMode("steer");
    [area.textContent, detail.textContent] = ["The session has ended", "Thank you!"];
    return;
  }
  const checkIn = state.kind === "check-in";
  const pressureCheck = state.kind === "calibrate" && !checkDone;
  setMode(checkIn ? "answer" : pressureCheck ? "check" : "steer");
  if (pressureCheck) {
    [area.textContent, detail.textContent] = ["Pressure check", "Is the pressure right? Tap less, more or right."];
  } else if (checkIn) {
    [area.textContent, detail.textContent] = ["Check-in", "How does it feel? Tap an answer."];
  } else if (state.kind === "step") {
    area.textContent = state.region_name;
    detail.textContent = `${state.technique_name}, pressure ${state.pressure} of 10${state.paused ? " (paused)" : ""}`;
  } else {
    [area.textContent, detail.textContent] = [state.paused ? "Paused" : "Between steps", "Your buttons still reach the giver."];
  }
  if (state.kind === "step" && last.region && state.region !== last.region) buzz(NEW_AREA);
  if (checkIn && last.kind !== "check-in") buzz(CHECK_IN);
  last = { region: state.kind === "step" ? state.region : last.region, kind: state.kind };
}

function setMode(mode) {
  root.dataset.mode = mode;
  document.getElementById("steer-pads").hidden = mode !== "steer";
  document.getElementById("answer-pads").hidden = mode !== "answer";
  document.getElementById("check-pads").hidden = mode !== "check";
}

async function press(button) {
  const action = button.dataset.action || button.dataset.answer || button.dataset.check;
  window.__remote.pressed.push(performance.timeOrigin + performance.now());
  button.classList.add("sent");
  buzz(BUZZ[action]);
  const answer = Boolean(button.dataset.answer || button.dataset.check);
  const path = `/api/sessions/${sessionId}/${button.dataset.check ? "check" : answer ? "answer" : "control"}`;
  // A press whose reply is lost is sent again under its own id: the server applies it once.
  const body = { [answer ? "answer" : "action"]: action, by: "receiver" };
  try {
    const message = await sendKeyed(path, body);
    sent.textContent = answer ? `Sent. ${message.note}` : `Sent: ${WORDS[action]}. ${message.note || ""}`;
  } catch (error) {
    sent.textContent = error.status === 0 ? "Not sent: no connection to the giver's rubdown." : `Not sent: ${error.message}`;
  } finally {
    setTimeout(() => button.classList.remove("sent"), 300);
  }
}

function listen() {
  const stream = new EventSource(`/api/sessions/${sessionId}/stream`);
  stream.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "state") show(message);
    else if (message.type === "plan" || message.type === "note") detail.textContent = message.note;
    else if (message.type === "answer") { setMode("steer"); detail.textContent = message.note; }
    else if (message.type === "check") {
      detail.textContent = message.note;
      if (message.check_done) { checkDone = true; setMode("steer"); }
    }
    else if (message.type === "pause") [area.textContent, detail.textContent] = ["Stopped", "The giver has been asked to stop."];
    else if (message.type === "ended") show({ status: message.status });
  };
  stream.onerror = () => { detail.textContent = "Reconnecting…"; };
}

root.querySelectorAll("[data-action], [data-answer], [data-check]").forEach((button) => button.addEventListener("click", () => press(button)));
listen();
