// The player's dialogs: pairing the remote, settings, ending early, and the feedback form.
import { sendKeyed } from "./journal.js";

function opener(buttonId, dialogId) {
  const dialog = document.getElementById(dialogId);
  document.getElementById(buttonId)?.addEventListener("click", () => dialog.showModal());
  return dialog;
}

function bindSettings({ settings, saveSettings, applyTheme, onChange }) {
  const dialog = opener("settings-btn", "settings-dialog");
  const form = document.getElementById("settings-form");
  form.elements.voice.value = settings.voice;
  form.elements.ticks.checked = settings.ticks;
  form.elements.light.checked = settings.light ?? false; // the player starts dark
  let lightTouched = false; // left alone, the player keeps its dark default
  form.elements.light.addEventListener("change", () => { lightTouched = true; });
  dialog.addEventListener("close", () => {
    settings.voice = form.elements.voice.value;
    settings.ticks = form.elements.ticks.checked;
    if (lightTouched) settings.light = form.elements.light.checked;
    saveSettings(settings);
    applyTheme(settings);
    onChange();
  });
}

function bindFeedback(sessionId) {
  const form = document.getElementById("feedback-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      overall: data.get("overall") ? Number(data.get("overall")) : null,
      pressure_verdict: data.get("pressure_verdict") || null,
      favourite_technique: data.get("favourite_technique") || null,
    };
    await sendKeyed(`/api/sessions/${sessionId}/feedback`, body).catch(() => null);
    location.href = "/history";
  });
  document.getElementById("feedback-skip").addEventListener("click", () => { location.href = "/"; });
}

export function bindDialogs(options) {
  opener("pair-btn", "pair-dialog");
  bindSettings(options);
  bindFeedback(options.sessionId);
  const quitDialog = opener("end-btn", "quit-dialog");
  quitDialog.addEventListener("close", () => {
    if (quitDialog.returnValue === "quit") options.quit();
  });
}

// The favourite-step choices: each technique of the plan once.
export function fillFavourites(plan) {
  const select = document.getElementById("favourite");
  const seen = new Set();
  for (const seg of plan.segments) {
    if (seg.kind !== "step" || seen.has(seg.technique)) continue;
    seen.add(seg.technique);
    select.append(new Option(`${seg.technique_name} (${seg.region_name.toLowerCase()})`, seg.technique));
  }
}
