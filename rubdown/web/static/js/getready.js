// Getting ready before Begin: the server's prep steps, one a screen, skippable at any point.
const dialog = document.getElementById("ready-dialog");
const opener = document.getElementById("ready-btn");

function bind() {
  const steps = [...dialog.querySelectorAll(".ready-steps > li")];
  const count = document.getElementById("ready-count");
  const back = document.getElementById("ready-back");
  const next = document.getElementById("ready-next");
  let at = 0;
  const show = (i) => {
    at = i;
    steps.forEach((step, j) => { step.hidden = j !== i; });
    count.textContent = `Get ready: ${i + 1} of ${steps.length}`;
    back.disabled = i === 0;
    next.textContent = i === steps.length - 1 ? "Ready, begin" : "Next";
  };
  opener.addEventListener("click", () => { show(0); dialog.showModal(); next.focus(); });
  back.addEventListener("click", () => { show(Math.max(at - 1, 0)); if (at === 0) next.focus(); });
  next.addEventListener("click", () => {
    if (at < steps.length - 1) { show(at + 1); return; }
    dialog.close("done");
    // Still the giver's own tap, so Begin may start the sound.
    const play = document.getElementById("play-btn");
    if (!play.disabled) play.click();
  });
}

if (dialog && opener) bind();
