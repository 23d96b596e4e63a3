// The plan form: live minutes, and a body map that ticks the focus and avoid lists.
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
