// Runs on every page: the chosen theme, and the service worker that keeps rubdown offline.
import { applyTheme, loadSettings } from "./common.js";
// A pairing link opened on a device already paired: its code still leaves the address.
import "./pairing.js";

applyTheme(loadSettings());

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // Plain http on a LAN address is not a secure context: the app still works online.
  });
}
