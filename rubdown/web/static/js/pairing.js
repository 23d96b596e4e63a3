// Pairing without a token in any logged address: links carry it after "#", which browsers never
// send. On the trust page it rides on to the "continue" link; on rubdown's own pages it is
// posted to /pair (a header, never a URL) for an HttpOnly cookie, and leaves the address bar.

const KINDS = ["token", "pair"];
const KEPT = "rubdown-pairing";

// The pairing code a fragment such as "#token=abc" or "#pair=xyz" carries, or null.
export function pairingCode(hash) {
  const found = new URLSearchParams(String(hash || "").replace(/^#/, ""));
  const kind = KINDS.find((name) => found.get(name));
  return kind ? found.get(kind) : null;
}

// The address without its fragment: what the bar shows once the code is taken.
function plainAddress() {
  // The whole address, not path + query: a path such as "//x" would read as another host.
  const address = new URL(location.href);
  address.hash = "";
  return address.href;
}

// Trust page: hand the fragment on to the app (kept for this tab, should the page reload).
function carry(link) {
  let hash = location.hash;
  if (pairingCode(hash)) {
    sessionStorage.setItem(KEPT, hash);
  } else {
    hash = sessionStorage.getItem(KEPT) || "";
  }
  if (hash) link.href = link.href.split("#")[0] + hash;
  // Once followed, the code has been handed on: the tab keeps no copy of it.
  link.addEventListener("click", () => sessionStorage.removeItem(KEPT));
  history.replaceState(null, "", plainAddress());
}

// Say why pairing failed where the page says it is needed.
function tell(words) {
  const status = document.getElementById("pairing-status");
  if (status) status.textContent = words;
}

async function pair(code) {
  history.replaceState(null, "", plainAddress());
  let reply;
  try {
    reply = await fetch("/pair", {
      method: "POST",
      headers: { "x-rubdown-pair": code },
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    tell("rubdown could not be reached to pair this phone: check the network and open the link again.");
    return;
  }
  if (reply.ok) {
    // Refused before pairing: load the page again, now with the cookie.
    if (document.body.hasAttribute("data-unpaired")) location.replace(plainAddress());
    return;
  }
  const body = await reply.json().catch(() => ({}));
  tell(body.error || `Pairing failed (${reply.status}).`);
}

function start() {
  const link = document.querySelector("a[data-carry-pairing]");
  if (link) {
    carry(link);
    return;
  }
  const code = pairingCode(location.hash);
  if (code) pair(code);
}

if (typeof document !== "undefined") start();
