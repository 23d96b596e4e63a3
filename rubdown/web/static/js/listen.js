// The player's "Listen" switch: the microphone, at 16 kHz 16-bit mono, streamed in tenth-of-a-second
// chunks to this session's own server, which hears the commands and applies them (by voice).
// Audio goes nowhere else and is never stored; chunks sent while rubdown's cue plays say so.
import { ApiError, api, saveSettings } from "./common.js";

export const RATE = 16000;
// A tenth of a second: a command's end reaches the server sooner than with quarter-second
// chunks (bench/listen_web.py: p95 from the end of a command to its effect 650 -> 500 ms).
const CHUNK = RATE / 10;
const BACKLOG = 20; // chunks waiting to be sent; past this the oldest are dropped
// Echo cancellation takes rubdown's own cues out; the browser's gain control and noise
// suppression are off: they clipped and smeared speech until "rubdown, firmer" was not heard.
const MIC = { channelCount: 1, echoCancellation: true, autoGainControl: false, noiseSuppression: false };

// Averages each output sample's stretch of input (a box filter), carrying the rest over.
export class Resampler {
  constructor(fromRate, toRate = RATE) {
    this.step = fromRate / toRate;
    this.pos = 0;
    this.sum = 0;
    this.n = 0;
  }

  push(samples) {
    const out = [];
    for (const s of samples) {
      this.sum += s;
      this.n += 1;
      this.pos += 1;
      if (this.pos >= this.step) {
        this.pos -= this.step;
        const v = Math.max(-1, Math.min(1, this.sum / this.n));
        out.push(Math.round(v * 32767));
        this.sum = 0;
        this.n = 0;
      }
    }
    return Int16Array.from(out);
  }
}

// Why listening cannot work on this page, or null when it can.
export function listenProblem(win) {
  if (!win.isSecureContext) {
    return "Listening needs a secure page: browsers lend the microphone only to https pages or to this computer's own address. Open rubdown over https (see Trust this server) or at http://127.0.0.1 on the laptop.";
  }
  if (!win.navigator.mediaDevices || !win.navigator.mediaDevices.getUserMedia || !win.AudioWorkletNode) {
    return "This browser cannot lend its microphone to a page: open the player in a current Chromium, Chrome, Firefox or Safari to listen.";
  }
  return null;
}

// What a refused getUserMedia means, and what to do about it.
export function micProblem(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "The microphone was refused: allow it for this page in the browser's site settings, then turn Listen on again.";
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") {
    return "No microphone was found: plug one in (or use the phone's player), then turn Listen on again.";
  }
  if (name === "NotReadableError") {
    return "The microphone is busy in another app: close that app, then turn Listen on again.";
  }
  return `The microphone could not be opened (${name || "unknown error"}): listening is off.`;
}

// Why the server would not listen (the listen extra missing, the session over…), in its words.
export function serverProblem(error) {
  return `Listening is off: ${error.message}`;
}

function streamId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Listening {
  // speaking(): what rubdown's own voice is saying now (null when quiet); settings.wake is the
  // wake-word choice (wakeBox its checkbox), which the server applies.
  constructor({ sessionId, button, status, echo, worklet, speaking, settings, wakeBox }) {
    Object.assign(this, { sessionId, button, status, echo, worklet, speaking, settings });
    this.on = false;
    this.heard = [];
    button.addEventListener("click", () => (this.on ? this.stop() : this.start()));
    if (!wakeBox) return;
    wakeBox.checked = Boolean(settings.wake);
    wakeBox.addEventListener("change", () => {
      settings.wake = wakeBox.checked;
      saveSettings(settings);
      if (!this.on) return;
      this.stop(); // and a new stream with the new choice
      this.start();
    });
  }

  path() {
    const wake = Boolean(this.settings && this.settings.wake);
    return `/api/sessions/${this.sessionId}/listen?stream=${this.stream}&wake=${wake}`;
  }

  show(on, text) {
    this.on = on;
    this.button.setAttribute("aria-checked", String(on));
    this.button.classList.toggle("on", on);
    this.status.textContent = on ? "Listening" : "Listen";
    document.body.dataset.listening = on ? "on" : "off";
    this.button.dataset.wake = on && this.wake ? "on" : "off";
    if (text !== undefined) this.echo.textContent = text;
  }

  async start() {
    const why = listenProblem(window);
    if (why) return this.show(false, why);
    this.stream = streamId();
    let opened;
    try {
      opened = await api(this.path(), { method: "POST", body: new Uint8Array(0) });
      this.mic = await navigator.mediaDevices.getUserMedia({ audio: MIC });
    } catch (error) {
      if (opened) this.forget();
      return this.show(false, error instanceof ApiError ? serverProblem(error) : micProblem(error));
    }
    this.wake = opened.wake;
    await this.tap();
    this.show(true, `Listening: ${opened.prompt}`);
  }

  // The server drops this stream's recogniser (another stream of the session is left be).
  forget() {
    api(`/api/sessions/${this.sessionId}/listen?stream=${this.stream}`, { method: "DELETE" }).catch(() => null);
  }

  async tap() {
    this.ctx = new AudioContext();
    await this.ctx.audioWorklet.addModule(this.worklet);
    const source = this.ctx.createMediaStreamSource(this.mic);
    const node = new AudioWorkletNode(this.ctx, "rubdown-mic");
    const resampler = new Resampler(this.ctx.sampleRate);
    this.pending = [];
    this.queue = [];
    this.said = null;
    node.port.onmessage = (event) => this.take(resampler.push(event.data));
    source.connect(node).connect(this.ctx.destination); // the tap outputs silence
  }

  take(samples) {
    this.said = this.said || this.speaking();
    this.pending.push(...samples);
    if (this.pending.length < CHUNK) return;
    this.queue.push({ pcm: Int16Array.from(this.pending.splice(0, CHUNK)), said: this.said });
    this.said = null;
    if (this.queue.length > BACKLOG) this.queue.shift();
    if (!this.sending) this.send();
  }

  async send() {
    this.sending = true;
    while (this.on && this.queue.length) {
      const { pcm, said } = this.queue.shift();
      const speaking = said ? `&speaking=${encodeURIComponent(String(said).slice(0, 100))}` : "";
      try {
        const reply = await api(this.path() + speaking, { method: "POST", body: pcm });
        reply.heard.forEach((heard) => this.confirm(heard));
      } catch (error) {
        this.stop(`Listening stopped: ${error.message}`);
      }
    }
    this.sending = false;
  }

  confirm(heard) {
    this.heard.push(heard);
    this.echo.textContent = heard.echo;
    if (!this.ctx) return;
    const beep = this.ctx.createOscillator();
    const gain = this.ctx.createGain();
    gain.gain.value = 0.15;
    beep.frequency.value = 880;
    beep.connect(gain).connect(this.ctx.destination);
    beep.start();
    beep.stop(this.ctx.currentTime + 0.08);
  }

  stop(text) {
    const was = this.on;
    this.show(false, text ?? (was ? "Not listening." : undefined));
    if (this.mic) this.mic.getTracks().forEach((track) => track.stop());
    if (this.ctx) this.ctx.close();
    this.mic = null;
    this.ctx = null;
    if (was) this.forget();
  }
}
