// The receiver's remote: four big buttons, each heard by the giver's player at once.
import { api } from "./common.js";

const root = document.querySelector("main.remote");
const sessionId = Number(root.dataset.session);
const now = document.getElementById("remote-now");
const sent = document.getElementById("remote-sent");
const WORDS = { lighter: "lighter", firmer: "firmer", more: "more time here", stop: "stop" };

function describe(state) {
  if (state.status && state.status !== "running") return "The session has ended. Thank you!";
  if (state.paused) return "Paused, or not started yet. Your buttons still reach the giver.";
  if (state.kind !== "step") return "Between steps.";
  return `Now: ${state.technique_name} on the ${state.region_name.toLowerCase()}, pressure ${state.pressure} of 10.`;
}

window.__remote = { pressed: [] }; // press times, for bench/web.py

async function press(button) {
  const action = button.dataset.action;
  window.__remote.pressed.push(performance.timeOrigin + performance.now());
  button.classList.add("sent");
  navigator.vibrate?.(30);
  try {
    const message = await api(`/api/sessions/${sessionId}/control`, { method: "POST", body: { action, by: "receiver" } });
    sent.textContent = `Sent: ${WORDS[action]}. ${message.note || ""}`;
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
    if (message.type === "state") now.textContent = describe(message);
    else if (message.type === "plan" || message.type === "note") now.textContent = message.note;
    else if (message.type === "pause") now.textContent = "Paused: the giver has been asked to stop.";
    else if (message.type === "ended") now.textContent = describe({ status: message.status });
  };
  stream.onerror = () => { now.textContent = "Reconnecting…"; };
}

root.querySelectorAll("[data-action]").forEach((button) => button.addEventListener("click", () => press(button)));
listen();
