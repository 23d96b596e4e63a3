// The pressure check at the start of a plan made with "pressure check first": big less, more
// and right buttons while it is on. The server shifts the plan's pressures (core.calibrate);
// this page only sends the answer and shows what comes back.
import { sendKeyed } from "./journal.js";

const RESEND_MS = [250]; // one quick resend under the same id, as the player's own presses

export class PressureCheck {
  constructor({ root, sessionId, clockS, onMessage, onError, screen }) {
    Object.assign(this, { sessionId, clockS, onMessage, onError, screen });
    this.group = root.querySelector("#pressure-check");
    this.zones = root.querySelector(".zones");
    this.on = false;
    this.done = false;
    this.group?.querySelectorAll("[data-check]").forEach((button) => {
      button.addEventListener("click", () => this.send(button.dataset.check));
    });
  }

  // During the check (until a "right" or the last round ends it) its buttons replace the zones.
  show(atCheck) {
    if (!this.group) return;
    const on = atCheck && !this.done;
    this.group.hidden = !on;
    if (on || this.on) this.zones.hidden = on; // the check-in's own swap runs just before
    this.on = on;
    this.screen.set("pressure-check", on);
  }

  async send(answer) {
    if (!this.on) return;
    const body = { answer, by: "giver", clock_s: this.clockS() };
    try {
      const path = `/api/sessions/${this.sessionId}/check`;
      this.onMessage(await sendKeyed(path, body, { waits: RESEND_MS }), true);
    } catch (error) {
      this.onError(error.status === 0 ? "The pressure check needs the connection to rubdown." : error.message);
    }
  }

  // A check message from the server (ours or the remote's): once it says done, the check is over.
  handle(message) {
    if (!message.check_done) return;
    this.done = true;
    this.show(false);
  }
}
