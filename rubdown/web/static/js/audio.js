// Sound for the player: cue audio made by the server and the rhythm ticks, scheduled on the
// Web Audio clock so they start exactly on time; or the device's own voice if chosen.

const CUE_URL = (key) => `/api/cues/${key}.wav`;
const TICK_GAIN = { down: 0.55, up: 0.35 };
const DECODE_SPARE = 3; // cues decoded beyond the window, in case the clock jumps ahead
const KEEP_DECODED = 24; // decoded cues kept in memory at most (a phone has little to spare)

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
  }

  context() {
    if (!this.ctx) {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (Context) this.ctx = new Context({ latencyHint: "interactive" });
    }
    return this.ctx;
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
        .then((bytes) => this.context().decodeAudioData(bytes))
        .then((buffer) => { this.buffers.set(name, buffer); return buffer; })
        .catch(() => null)
        .finally(() => this.loading.delete(name));
      this.loading.set(name, job);
    }
    return this.loading.get(name);
  }

  loadTicks(urls) {
    if (!this.context()) return Promise.resolve();
    return Promise.all(["down", "up"].map((kind) => this.load(`tick-${kind}`, urls[kind])));
  }

  // Fetch every cue once so the service worker keeps it; decoding waits until it is near.
  async fetchAll(keys, onProgress) {
    let done = 0;
    const unique = [...new Set(keys)];
    const worker = async () => {
      while (unique.length) {
        const key = unique.shift();
        await fetch(CUE_URL(key), { credentials: "same-origin" }).catch(() => null);
        onProgress?.(++done);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }

  // Decode the cues due in [from, to) and a few more; forget others once memory fills up.
  prepare(cues, from, to) {
    if (!this.context() || this.settings.voice !== "server") return Promise.resolve([]);
    const first = cues.findIndex((c) => c.at_s >= from);
    if (first < 0) return Promise.resolve([]);
    let last = first;
    while (last < cues.length && cues[last].at_s < to) last++;
    const wanted = new Set(cues.slice(first, last + DECODE_SPARE).map((c) => c.key));
    const jobs = [...wanted].map((key) => this.load(key, CUE_URL(key)));
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

  start(buffer, perfMs, gainValue, kind) {
    const ctx = this.ctx;
    const wanted = this.audioTime(perfMs);
    const at = Math.max(wanted, ctx.currentTime);
    this.stats[kind].push((at - wanted) * 1000);
    if (kind === "cue") this.stats.ahead.push((wanted - ctx.currentTime) * 1000);
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    const gain = ctx.createGain();
    gain.gain.value = gainValue;
    source.connect(gain).connect(ctx.destination);
    source.startAt = at;
    source.onended = () => this.sources.delete(source);
    source.start(at);
    this.sources.add(source);
    return source;
  }

  tick(kind, perfMs) {
    const buffer = this.buffers.get(`tick-${kind}`);
    if (!this.settings.ticks || !buffer || !this.running()) return;
    this.start(buffer, perfMs, TICK_GAIN[kind], "tick");
  }

  cue(cue, perfMs) {
    if (this.settings.voice === "off") return;
    const buffer = this.buffers.get(cue.key);
    if (this.settings.voice === "server" && buffer && this.running()) {
      const source = this.start(buffer, perfMs, 1, "cue");
      if (this.voice && this.voice.startAt < source.startAt) this.voice.stop(source.startAt);
      this.voice = source;
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
      const buffer = await Promise.race([this.load(key, CUE_URL(key)), wait(1500)]);
      if (buffer) {
        if (this.voice) this.voice.stop();
        this.voice = this.start(buffer, performance.now(), 1, "note");
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
  }

  silence() {
    this.cancelFuture();
    for (const source of this.sources) source.stop();
    this.sources.clear();
    if ("speechSynthesis" in window) speechSynthesis.cancel();
  }
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}
