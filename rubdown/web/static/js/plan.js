// The plan form: live minutes, and a body map that ticks the focus and avoid lists.
const form = document.querySelector(".plan-form");
const minutes = document.getElementById("minutes");
const output = document.getElementById("minutes-out");
minutes?.addEventListener("input", () => { output.value = minutes.value; });

const box = (list, region) => form.querySelector(`input[name="${list}"][value="${region}"]`);

function paint() {
  document.querySelectorAll("#plan-map .region").forEach((el) => {
    const region = el.dataset.region;
    el.classList.toggle("focus", Boolean(box("focus", region)?.checked));
    el.classList.toggle("avoid", Boolean(box("avoid", region)?.checked));
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
form?.addEventListener("change", (event) => {
  if (event.target.name === "receiver") {
    // Show the receiver's stored profile straight away.
    const params = new URLSearchParams({ giver: form.elements.giver.value, receiver: event.target.value });
    location.href = `/plan?${params}`;
  }
  paint();
});
paint();
