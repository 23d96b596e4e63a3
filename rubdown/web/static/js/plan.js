// The plan form: live minutes, and a body map that ticks the focus and avoid lists; a tap on
// a planned step shows how its hands move.
import { StrokeLayer } from "./stroke.js";

// The back and front maps of a figure (each a .view-map holding an <svg>), one StrokeLayer on
// each: a step's motion shows on the map of its view, the other is hidden.
class MotionMaps {
  constructor(figure, options = {}) {
    const boxes = [...(figure?.querySelectorAll(".view-map") || [])];
    this.layers = (boxes.length ? boxes : [figure]).filter(Boolean).map((box) => ({
      box, view: box.dataset?.view || "back", layer: new StrokeLayer(box.querySelector("svg"), options),
    }));
  }

  // Show a step's motion (or, for a pause, the back map with nothing drawn).
  show(seg, again = false) {
    const view = seg?.motion?.view || "back";
    const single = this.layers.length === 1;
    for (const { box, view: here, layer } of this.layers) {
      const on = single || here === view;
      if (!single) box.hidden = !on;
      if (on && seg?.region) layer.highlight(seg.region);
      layer.show(on ? seg : null, again);
    }
  }

  sync() {
    for (const { layer } of this.layers) layer.sync();
  }
}

const form = document.querySelector(".plan-form");
const minutes = document.getElementById("minutes");
const output = document.getElementById("minutes-out");
minutes?.addEventListener("input", () => { output.value = minutes.value; });

const box = (list, region) => form.querySelector(`input[name="${list}"][value="${region}"]`);

const STATES = { focus: "Longer", avoid: "Left out" };

function stateOf(region) {
  if (box("focus", region)?.checked) return "focus";
  if (box("avoid", region)?.checked) return "avoid";
  return null;
}

// The drawing and the area buttons show each choice by pattern and by word, not colour alone.
function paint() {
  document.querySelectorAll("#plan-map .region").forEach((el) => {
    const state = stateOf(el.dataset.region);
    el.classList.toggle("focus", state === "focus");
    el.classList.toggle("avoid", state === "avoid");
  });
  document.querySelectorAll(".area-chip").forEach((chip) => {
    const state = stateOf(chip.dataset.region);
    chip.classList.toggle("focus", state === "focus");
    chip.classList.toggle("avoid", state === "avoid");
    chip.querySelector(".chip-state").textContent = state ? STATES[state] : "";
    const name = chip.querySelector(".chip-name").textContent;
    chip.setAttribute("aria-label", `${name}: ${state ? STATES[state].toLowerCase() : "as planned"}`);
    chip.disabled = Boolean(box("focus", chip.dataset.region)?.disabled || box("avoid", chip.dataset.region)?.disabled);
  });
}

// One tap: longer; two: leave out; three: neither. Areas fixed by the profile stay as they are.
function cycle(region) {
  const focus = box("focus", region);
  const avoid = box("avoid", region);
  if (!focus || !avoid || focus.disabled || avoid.disabled) return;
  if (!focus.checked && !avoid.checked) focus.checked = true;
  else if (focus.checked) { focus.checked = false; avoid.checked = true; }
  else avoid.checked = false;
  paint();
}

document.querySelectorAll("#plan-map .region").forEach((el) => {
  el.addEventListener("click", () => cycle(el.dataset.region));
});
document.querySelectorAll(".area-chip").forEach((chip) => {
  chip.addEventListener("click", () => cycle(chip.dataset.region));
});
document.querySelector(".area-pick")?.removeAttribute("hidden");
form?.addEventListener("change", (event) => {
  if (event.target.name === "receiver") {
    // Show the receiver's stored profile straight away, keeping every other choice made.
    const params = new URLSearchParams(new FormData(form));
    params.set("keep", "1");
    location.href = `/plan?${params}`;
  }
  paint();
});
paint();

// The planned steps: a tap opens a map with the step's hands moving (still arrows with reduced
// motion), its two parts named and the way said in words.
const planData = document.getElementById("plan-data");
const dialog = document.getElementById("motion-dialog");
if (planData && dialog) {
  const plan = JSON.parse(planData.textContent);
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)");
  const maps = new MotionMaps(document.getElementById("motion-map"), { reduced });
  document.querySelectorAll(".show-motion").forEach((button) => {
    button.addEventListener("click", () => {
      const seg = plan.segments[Number(button.dataset.segment)];
      if (!seg?.motion) return;
      const side = seg.side === "left" || seg.side === "right" ? `, ${seg.side} side` : "";
      document.getElementById("motion-title").textContent = seg.technique_name;
      document.getElementById("motion-where").textContent = `${seg.region_name}${side}`;
      document.getElementById("motion-words").textContent = seg.motion.words;
      maps.show(seg, true);
      dialog.showModal();
    });
  });
  dialog.addEventListener("close", () => maps.show(null));
}
