// Sound for the player: cue audio made by the server and the rhythm ticks, scheduled on the
// Web Audio clock so they start exactly on time; or the device's own voice if chosen.
// The mix: master volume, voice against ticks, and a generated background that ducks under cues.
// Its levels, curve and ducking come from the server (rubdown.voice.mix.web_mix), never from here.

import { talkCues } from "./timeline.js";

const DECODE_SPARE = 3; // cues decoded beyond the window, in case the clock jumps ahead
const KEEP_DECODED = 24; // decoded cues kept in memory at most (a phone has little to spare)
const DECODE_RATE = 44100; // decoding rate before the sound device exists (cues are 22.05 kHz)
// A session saved before the server sent its mix: every sound at the master volume, no background.
const UNMIXED = { defaults: { volume: 1, balance: 0.5, background: "off" }, balance_steps: 1,
  voice: [1, 1], tick: [1, 1], background_level: 0, duck_to: 1, duck_ramp_s: 0, backgrounds: [] };

// Voice, tick and background gains for the settings, looked up in the server's table.
export function mixLevels(settings, mix = UNMIXED) {
  const volume = settings.volume ?? mix.defaults.volume;
  const balance = Math.min(1, Math.max(0, settings.balance ?? mix.defaults.balance));
  const step = Math.round(balance * mix.balance_steps);
  return { voice: volume * mix.voice[step], tick: volume * mix.tick[step], background: volume * mix.background_level, volume };
}

export class AudioOut {
  constructor(settings) {
    this.settings = settings;
    this.ctx = null;
    this.buffers = new Map(); // key or "tick-down"/"tick-up" -> AudioBuffer
    this.loading = new Map();
    this.sources = new Set();
    this.voice = null; // the last spoken source: a new cue cuts the old one short
    this.timers = new Set();
    // Lateness (ms) per sound kind; "ahead" is how early each cue was handed to the audio clock.
    this.stats = { cue: [], tick: [], note: [], speech: [], ahead: [], missing: 0 };
    this.requests = []; // every cue fetched: the clock then, the cue's time, for the tests
    this.info = { cue_url: "/api/cues/{voice}/{key}.mp3", default: null };
    this.playing = []; // [cue, start, end] on the audio clock, for voice commands
  }

  setVoice(info) {
    this.info = info || this.info;
  }

  // The cues the chosen talk says ("less talking" or every sentence), as the server placed them.
  talk(cues) {
    return talkCues(cues, Boolean(this.settings.less));
  }

  url(cue) {
    const voice = this.settings.speaker || this.info.default || "";
    return this.info.cue_url.replace("{voice}", voice).replace("{key}", cue.key);
  }

  mix() {
    return this.info.mix || UNMIXED;
  }

  // Voice and tick levels from the master volume and the balance (0 ticks only, 1 voice only).
  levels() {
    return mixLevels(this.settings, this.mix());
  }

  bus(name) {
    const ctx = this.context();
    if (!this.buses) {
      this.buses = { voice: ctx.createGain(), tick: ctx.createGain(), background: ctx.createGain() };
      for (const node of Object.values(this.buses)) node.connect(ctx.destination);
      this.applyMix();
    }
    return this.buses[name];
  }

  // Set the levels now; the background starts, changes or stops to match the settings.
  applyMix() {
    if (!this.buses) return;
    const level = this.levels();
    this.buses.voice.gain.value = level.voice;
    this.buses.tick.gain.value = level.tick;
    this.buses.background.gain.value = level.background;
    const known = this.mix().backgrounds;
    const kind = known.includes(this.settings.background) ? this.settings.background : "off";
    if (this.bgKind !== kind) this.startBackground(kind);
  }

  // The server's seamless loop, played round and round into the background bus.
  async startBackground(kind) {
    this.bgNodes?.forEach((node) => node.stop());
    this.bgNodes = [];
    this.bgKind = kind;
    const asked = (this.bgAsked = {}); // only the latest choice starts, however loads finish
    if (kind === "off" || !this.ctx) return;
    const url = this.mix().background_url.replace("{kind}", kind);
    const buffer = await this.load(url, url);
    if (!buffer || this.bgAsked !== asked) return;
    const source = this.ctx.createBufferSource();
    source.buffer = buffer;
    source.loop = true;
    source.connect(this.bus("background"));
    source.start();
    this.bgNodes.push(source);
  }

  // The background dips under a cue from `at` for `seconds` on the audio clock: the linear
  // ramps of voice.mix.duck_gain, down before the cue and back up after it.
  duck(at, seconds) {
    if (!this.buses || this.bgKind === "off") return;
    const { duck_to: share, duck_ramp_s: ramp } = this.mix();
    const gain = this.buses.background.gain;
    const full = this.levels().background;
    const from = Math.max(this.ctx.currentTime, at - ramp);
    gain.cancelScheduledValues(from);
    gain.setValueAtTime(from < (this.duckEnd ?? 0) ? full * share : full, from);
    gain.linearRampToValueAtTime(full * share, Math.max(from, at));
    gain.setValueAtTime(full * share, at + seconds);
    gain.linearRampToValueAtTime(full, at + seconds + ramp);
    this.duckEnd = at + seconds + ramp;
  }

  // The cue sounding at an audio-clock time (now by default), if any.
  speaking(at) {
    const t = at ?? this.ctx?.currentTime ?? 0;
    const found = this.playing.filter(([, start, end]) => start <= t && t < end);
    return found.length ? found[found.length - 1][0] : null;
  }

  context() {
    if (!this.ctx) {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (Context) this.ctx = new Context({ latencyHint: "interactive" });
    }
    return this.ctx;
  }

  // Whether this browser can play server audio at all.
  supported() {
    return Boolean(this.ctx || window.AudioContext || window.webkitAudioContext);
  }

  // Cues are decoded before Begin without starting the sound device (a live AudioContext costs
  // the first screen a long task, and browsers keep it suspended until a tap anyway): decoded
  // buffers play in any context.
  decoder() {
    if (this.ctx) return this.ctx;
    const Offline = window.OfflineAudioContext || window.webkitOfflineAudioContext;
    if (!Offline) return this.context();
    this.offline ??= new Offline(1, 1, DECODE_RATE);
    return this.offline;
  }

  // Must run inside a tap: browsers only let sound start after the user asked for it.
  async unlock() {
    const ctx = this.context();
    if (ctx && ctx.state !== "running") await ctx.resume().catch(() => {});
  }

  async load(name, url) {
    if (this.buffers.has(name)) return this.buffers.get(name);
    if (!this.loading.has(name)) {
      const job = fetch(url, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(r.status))))
        .then((bytes) => this.decoder().decodeAudioData(bytes))
        .then((buffer) => { this.buffers.set(name, buffer); return buffer; })
        .catch(() => null)
        .finally(() => this.loading.delete(name));
      this.loading.set(name, job);
    }
    return this.loading.get(name);
  }

  loadTicks(urls) {
    if (!this.supported()) return Promise.resolve();
    return Promise.all(["down", "up"].map((kind) => this.load(`tick-${kind}`, urls[kind])));
  }

  // Decode the cues due in [from, to) and a few more; forget others once memory fills up.
  prepare(all, from, to) {
    if (!this.supported() || this.settings.voice !== "server") return Promise.resolve([]);
    const cues = this.talk(all);
    const first = cues.findIndex((c) => c.at_s >= from);
    if (first < 0) return Promise.resolve([]);
    let last = first;
    while (last < cues.length && cues[last].at_s < to) last++;
    const wanted = new Map(cues.slice(first, last + DECODE_SPARE).map((c) => [this.url(c), c]));
    for (const [url, cue] of wanted) {
      if (!this.buffers.has(url) && !this.loading.has(url)) this.requests.push({ clock_s: from, cue_s: cue.at_s, url });
    }
    const jobs = [...wanted.keys()].map((url) => this.load(url, url));
    for (const name of this.buffers.keys()) {
      if (this.buffers.size <= KEEP_DECODED) break;
      if (!name.startsWith("tick-") && !wanted.has(name)) this.buffers.delete(name);
    }
    return Promise.all(jobs);
  }

  // The audio-clock time matching a performance.now() reading.
  audioTime(perfMs) {
    const ctx = this.ctx;
    const stamp = ctx.getOutputTimestamp ? ctx.getOutputTimestamp() : null;
    if (stamp && stamp.performanceTime > 0) {
      return stamp.contextTime + (perfMs - stamp.performanceTime) / 1000;
    }
    return ctx.currentTime + (perfMs - performance.now()) / 1000;
  }

  start(buffer, perfMs, gainValue, kind, bus = "voice") {
    const ctx = this.ctx;
    const wanted = this.audioTime(perfMs);
    const at = Math.max(wanted, ctx.currentTime);
    this.stats[kind].push((at - wanted) * 1000);
    if (kind === "cue") this.stats.ahead.push((wanted - ctx.currentTime) * 1000);
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    const gain = ctx.createGain();
    gain.gain.value = gainValue;
    source.connect(gain).connect(this.bus(bus));
    source.startAt = at;
    source.onended = () => this.sources.delete(source);
    source.start(at);
    this.sources.add(source);
    return source;
  }

  tick(kind, perfMs) {
    const buffer = this.buffers.get(`tick-${kind}`);
    if (!this.settings.ticks || !buffer || !this.running()) return;
    this.start(buffer, perfMs, 1, "tick", "tick"); // the server's tick carries its own level
  }

  cue(cue, perfMs) {
    if (this.settings.voice === "off") return;
    const buffer = this.buffers.get(this.url(cue));
    if (this.settings.voice === "server" && buffer && this.running()) {
      const source = this.start(buffer, perfMs, 1, "cue");
      if (this.voice && this.voice.startAt < source.startAt) this.voice.stop(source.startAt);
      this.voice = source;
      this.duck(source.startAt, buffer.duration);
      this.playing = [...this.playing.slice(-20), [cue, source.startAt, source.startAt + buffer.duration]];
      return;
    }
    if (this.settings.voice === "server") this.stats.missing++;
    this.speakAt(cue.text, perfMs);
  }

  running() {
    return this.ctx && this.ctx.state === "running";
  }

  // The device's own voice, started by a timer (less exact than Web Audio, good enough).
  speakAt(text, perfMs) {
    if (!("speechSynthesis" in window)) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.stats.speech.push(performance.now() - perfMs);
      speechSynthesis.cancel();
      speechSynthesis.speak(new SpeechSynthesisUtterance(text));
    }, Math.max(0, perfMs - performance.now()));
    this.timers.add(timer);
  }

  // Say something right now (a note from the remote): server audio if it can be had quickly.
  async sayNow(text, key) {
    if (this.settings.voice === "off") return;
    if (this.settings.voice === "server" && key && this.running()) {
      const url = this.url({ key });
      const buffer = await Promise.race([this.load(url, url), wait(1500)]);
      if (buffer) {
        if (this.voice) this.voice.stop();
        this.voice = this.start(buffer, performance.now(), 1, "note");
        this.duck(this.voice.startAt, buffer.duration);
        return;
      }
    }
    this.speakAt(text, performance.now());
  }

  // Forget what was scheduled but has not started (the plan changed); let the current cue finish.
  cancelFuture() {
    const now = this.ctx ? this.ctx.currentTime : 0;
    for (const source of this.sources) {
      if (source.startAt > now) { source.stop(); this.sources.delete(source); }
    }
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // A cue that will not sound is not rubdown speaking: voice commands are heard then.
    this.playing = this.playing.filter(([, start]) => start <= now);
  }

  // Stop every sound now (a pause): what was playing ends here, for voice commands too.
  silence() {
    this.cancelFuture();
    for (const source of this.sources) source.stop();
    this.sources.clear();
    const now = this.ctx ? this.ctx.currentTime : 0;
    this.playing = this.playing.map(([cue, start, end]) => [cue, start, Math.min(end, now)]);
    if (typeof speechSynthesis !== "undefined") speechSynthesis.cancel();
  }
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}

// The mix controls added to the player's settings dialog; `onChange` applies them at once.
export function mixPanel(form, settings, onChange) {
  const set = document.createElement("fieldset");
  set.className = "stack";
  set.innerHTML = `<legend>Mix</legend>
<label>Server voice <select name="speaker"></select></label>
<label>Volume <input type="range" name="volume" min="0" max="1" step="0.05"></label>
<label>Voice or ticks <input type="range" name="balance" min="0" max="1" step="0.05"></label>
<label><input type="checkbox" name="less"> Less talking: explain each technique once</label>
<label>Background <select name="background"><option value="off">None</option>
<option value="noise">Soft surf (filtered noise)</option><option value="drone">Low drone</option></select></label>`;
  form.querySelector("button")?.before(set);
  const read = () => {
    const el = form.elements;
    Object.assign(settings, { volume: Number(el.volume.value), balance: Number(el.balance.value),
      less: el.less.checked, background: el.background.value, speaker: el.speaker.value || null });
    onChange();
  };
  let mix = UNMIXED;
  const fill = () => {
    const el = form.elements;
    const now = { less: false, ...mix.defaults, ...settings };
    el.volume.value = now.volume;
    el.balance.value = now.balance;
    el.less.checked = now.less;
    el.background.value = now.background;
  };
  fill();
  set.addEventListener("input", read);
  set.addEventListener("change", read);
  return {
    voices(info) {
      mix = info?.mix || UNMIXED;
      fill();
      const select = form.elements.speaker;
      select.replaceChildren(...(info?.voices || []).map((v) => new Option(v.label, v.id)));
      select.value = settings.speaker || info?.default || "";
      select.closest("label").hidden = !(info?.voices || []).length;
    },
  };
}
