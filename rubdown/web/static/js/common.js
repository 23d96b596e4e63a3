// Small helpers shared by every page: JSON calls, settings, clock text.

const SETTINGS_KEY = "rubdown-settings";
// light: null follows the phone's light/dark mode; true or false is the in-app choice.
const DEFAULTS = { voice: "server", ticks: true, light: null };

export class ApiError extends Error {
  constructor(message, status, data) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

// A JSON call; network trouble throws an ApiError with status 0.
export async function api(path, { method = "GET", body, timeoutMs = 8000 } = {}) {
  const headers = { accept: "application/json" };
  const options = { method, headers, credentials: "same-origin" };
  if (ArrayBuffer.isView(body)) {
    headers["content-type"] = "application/octet-stream"; // raw bytes (the microphone's PCM)
    options.body = body;
  } else if (body !== undefined) {
    headers["content-type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  options.signal = abort.signal;
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new ApiError("No connection to rubdown", 0, null);
  } finally {
    clearTimeout(timer);
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(data.error || data.reason || `HTTP ${response.status}`, response.status, data);
  }
  return data;
}

export function loadSettings() {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}") };
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveSettings(settings) {
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
}

// The player is for a dim room, so it stays dark unless light was chosen in its settings;
// the other pages follow the phone's light or dark mode.
export function playerPage() {
  return document.body?.classList.contains("player-page") ?? false;
}

export function applyTheme(settings) {
  const root = document.documentElement;
  const light = settings.light ?? (playerPage() ? false : undefined);
  root.classList.toggle("light", light === true);
  root.classList.toggle("dark", light === false);
}

// Seconds as m:ss, rounding up so "0:00" shows only when the time is really up.
export function clockText(seconds) {
  const whole = Math.max(0, Math.ceil(seconds - 1e-6));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}
