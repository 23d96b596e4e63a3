// The stroke on the body map: a drawn hand traces each step's motion (the plan JSON's
// `motion`), one repetition per seconds_per_rep, kept in step with the session clock; with
// reduced motion, still arrows show the way instead.
const SVG = "http://www.w3.org/2000/svg";
// How strongly the hand is drawn on each part of a repetition (the plan says which is which).
export const OPACITY = { firm: 1, even: 0.9, light: 0.42, lift: 0.18 };
const RESYNC_MS = 40; // a larger gap between the animation and the session clock is corrected
const ZOOM_MIN_HEIGHT = 150; // map units: close enough to see the hand, far enough for context
const ZOOM_PAD = 14;

function el(tag, attrs = {}, children = []) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  for (const child of children) node.appendChild(child);
  return node;
}

const capsule = (x, y, w, h, turn = 0) =>
  el("rect", { x, y, width: w, height: h, rx: w / 2, ...(turn ? { transform: `rotate(${turn} ${x + w / 2} ${y + h})` } : {}) });

// One flat hand, fingers toward the head, its palm's centre at (0, 0).
function palm(dx = 0, dy = 0) {
  return el("g", { transform: `translate(${dx} ${dy})` }, [
    capsule(-6.6, -15, 3, 12), capsule(-3.2, -16.5, 3, 13), capsule(0.2, -16, 3, 13),
    capsule(3.6, -14, 2.8, 11), capsule(-9.5, -3, 3.2, 10, -38),
    el("rect", { x: -7, y: -5, width: 13.6, height: 14, rx: 4.5 }),
  ]);
}

// Simple drawings of each part of the hand or arm, the part that touches at (0, 0).
export const HANDS = {
  palms: () => [palm()],
  "stacked-hands": () => [palm(2.5, 3), palm(-1.5, -1)],
  thumbs: () => [
    el("rect", { x: -6.5, y: 2, width: 13, height: 12, rx: 4.5 }),
    capsule(-2.2, -2, 4.4, 11),
    el("circle", { class: "touch", cx: 0, cy: 0, r: 2.6 }),
  ],
  "finger-pads": () => [
    el("rect", { x: -7, y: 6, width: 14, height: 11, rx: 4.5 }),
    capsule(-6.4, -1.5, 3, 10), capsule(-1.5, -2.5, 3, 11), capsule(3.4, -1.5, 3, 10),
    ...[-4.9, 0, 4.9].map((cx, k) => el("circle", { class: "touch", cx, cy: k === 1 ? -0.8 : 0.2, r: 1.9 })),
  ],
  "fingers-and-thumb": () => [
    el("rect", { x: -4, y: 3, width: 12, height: 12, rx: 4.5 }),
    capsule(4.6, -9, 3.4, 14), capsule(1.2, -10, 3.4, 14),
    capsule(-8.5, -3, 3.6, 10, -28),
    el("circle", { class: "touch", cx: 0, cy: 0, r: 2.2 }),
  ],
  forearm: () => [
    el("g", { transform: "rotate(-28)" }, [
      el("rect", { x: -13, y: -4, width: 26, height: 8, rx: 4 }),
      el("rect", { x: 11.5, y: -3.6, width: 7, height: 7.2, rx: 3 }),
      el("line", { class: "touch-line", x1: -8, y1: 0, x2: 8, y2: 0 }),
    ]),
  ],
};

// Drawn larger than life, so the giver can read the hand from a metre away.
const HAND_SCALE = 1.8;

export function drawHand(hands) {
  const shape = el("g", { transform: `scale(${HAND_SCALE})` }, (HANDS[hands] || HANDS.palms)());
  return el("g", { class: `hand hand-${hands}`, "data-hands": hands }, [shape]);
}

function lengths(points) {
  const out = [0];
  for (let k = 1; k < points.length; k++) {
    const [x1, y1] = points[k - 1];
    const [x2, y2] = points[k];
    out.push(out[k - 1] + Math.hypot(x2 - x1, y2 - y1));
  }
  return out;
}

// Keyframes for one hand: the firm path over [0, firm_share], the light one over the rest,
// each point at a share of its part in proportion to the distance travelled. Two frames meet
// at firm_share, so the hand's strength changes at once, as the 'up' tick sounds.
export function keyframes(stroke, motion) {
  const parts = [
    [stroke.firm, 0, motion.firm_share, OPACITY[motion.halves[0]] ?? 1],
    [stroke.light, motion.firm_share, 1, OPACITY[motion.halves[1]] ?? 1],
  ];
  const frames = [];
  for (const [points, from, to, opacity] of parts) {
    const run = lengths(points);
    const total = run[run.length - 1] || 1;
    points.forEach(([x, y], k) => {
      frames.push({ offset: from + (to - from) * (run[k] / total), transform: `translate(${x}px, ${y}px)`, opacity });
    });
  }
  return frames;
}

const pathData = (points) => points.map(([x, y], k) => `${k ? "L" : "M"}${x} ${y}`).join(" ");

// A still arrowhead at a path's end, pointing the way the path last went.
export function arrowHead(points, size = 4.5) {
  const [x2, y2] = points[points.length - 1];
  let k = points.length - 2;
  while (k > 0 && Math.hypot(points[k][0] - x2, points[k][1] - y2) < size) k--;
  const [x1, y1] = points[Math.max(k, 0)];
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const corner = (turn) => [x2 - size * Math.cos(angle + turn), y2 - size * Math.sin(angle + turn)];
  const [a, b] = [corner(0.5), corner(-0.5)];
  return `M${x2} ${y2} L${a[0].toFixed(2)} ${a[1].toFixed(2)} L${b[0].toFixed(2)} ${b[1].toFixed(2)} Z`;
}

function trail(stroke, motion, still) {
  const group = el("g", { class: "trail" });
  const parts = [["firm", stroke.firm, motion.halves[0]], ["light", stroke.light, motion.halves[1]]];
  parts.forEach(([part, points, how], k) => {
    group.appendChild(el("path", { class: `trail-${part} how-${how}`, d: pathData(points) }));
    if (!still) return;
    group.appendChild(el("path", { class: `head head-${part} how-${how}`, d: arrowHead(points) }));
    const [x, y] = points[0];
    group.appendChild(el("g", { class: "step-number" }, [
      el("circle", { cx: x, cy: y, r: 3.6 }),
      Object.assign(el("text", { x, y: y + 1.5, "text-anchor": "middle" }), { textContent: String(k + 1) }),
    ]));
  });
  return group;
}

// The box to zoom the map to: the region and the paths, with room round them.
export function focusBox(boxes, base) {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    x1 = Math.min(x1, b.x); y1 = Math.min(y1, b.y);
    x2 = Math.max(x2, b.x + b.width); y2 = Math.max(y2, b.y + b.height);
  }
  const ratio = base.width / base.height;
  let height = Math.max(y2 - y1 + 2 * ZOOM_PAD, (x2 - x1 + 2 * ZOOM_PAD) / ratio, ZOOM_MIN_HEIGHT);
  height = Math.min(height, base.height);
  const width = height * ratio;
  const x = Math.min(Math.max((x1 + x2) / 2 - width / 2, base.x), base.x + base.width - width);
  const y = Math.min(Math.max((y1 + y2) / 2 - height / 2, base.y), base.y + base.height - height);
  return { x, y, width, height };
}

function pathBox(points) {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
}

export class StrokeLayer {
  // svg: the body map; reduced: a MediaQueryList; clock: a SessionClock, or none
  // for a preview that loops on its own; zoom: move in on the region while a step runs.
  constructor(svg, { reduced, clock = null, zoom = true } = {}) {
    this.svg = svg;
    this.reduced = reduced;
    this.clock = clock;
    this.zoom = zoom;
    this.base = svg?.getAttribute("viewBox");
    this.layer = el("g", { class: "stroke-layer", "aria-hidden": "true" });
    svg?.appendChild(this.layer);
    this.seg = null;
    this.animations = [];
    reduced?.addEventListener?.("change", () => this.show(this.seg, true));
  }

  // Draw a step's motion (or clear the layer for a pause between steps).
  show(seg, again = false) {
    if (!this.svg || (seg === this.seg && !again)) return;
    this.seg = seg;
    for (const animation of this.animations) animation.cancel();
    this.animations = [];
    this.layer.replaceChildren();
    const motion = seg?.motion;
    this.zoomTo(motion ? seg : null);
    if (!motion) return;
    const still = Boolean(this.reduced?.matches);
    this.layer.dataset.hands = motion.hands;
    this.layer.classList.toggle("still", still);
    for (const stroke of motion.strokes) this.layer.appendChild(trail(stroke, motion, still));
    for (const stroke of motion.strokes) {
      const hand = this.layer.appendChild(drawHand(motion.hands));
      if (still) {
        const [x, y] = stroke.firm[0];
        hand.setAttribute("transform", `translate(${x} ${y})`);
        continue;
      }
      this.animations.push(hand.animate(keyframes(stroke, motion), this.timing(seg)));
    }
    this.sync();
  }

  timing(seg) {
    const duration = seg.seconds_per_rep * 1000;
    // In the player the hand runs for the step's repetitions; a preview repeats until closed.
    return { duration, iterations: this.clock ? seg.reps : Infinity, fill: "both", easing: "linear", id: "stroke" };
  }

  // Keep the hands where the session clock says: called every frame by the player.
  sync() {
    if (!this.clock || !this.seg || !this.animations.length) return;
    // The animation's time is the frame's, so the clock is read at the same instant.
    const frame = document.timeline.currentTime ?? performance.now();
    const at = (this.clock.timeAt(frame) - this.seg.start_s) * 1000;
    for (const animation of this.animations) {
      if (animation.playbackRate !== this.clock.speed) animation.playbackRate = this.clock.speed;
      if (this.clock.running && animation.playState !== "running") animation.play();
      if (!this.clock.running && animation.playState === "running") animation.pause();
      // Paused, the hand sits exactly where the clock stopped; running, a small lag is let be.
      const slack = this.clock.running ? RESYNC_MS * this.clock.speed : 1;
      if (Math.abs((animation.currentTime ?? 0) - at) > slack) animation.currentTime = at;
    }
  }

  // Mark the step's region on a map that has no player to do it.
  highlight(region) {
    this.svg?.querySelectorAll(".region.current").forEach((r) => r.classList.remove("current"));
    this.svg?.querySelector(`[data-region="${region}"]`)?.classList.add("current");
  }

  zoomTo(seg) {
    if (!this.zoom || !this.base) return;
    if (!seg) { this.svg.setAttribute("viewBox", this.base); return; }
    const [x, y, width, height] = this.base.split(/[\s,]+/).map(Number);
    const region = this.svg.querySelector(`#region-${seg.region}`) || this.svg.querySelector(`[data-region="${seg.region}"]`);
    const boxes = seg.motion.strokes.flatMap((s) => [pathBox(s.firm), pathBox(s.light)]);
    if (region && seg.side !== "left" && seg.side !== "right") boxes.push(region.getBBox());
    const box = focusBox(boxes, { x, y, width, height });
    this.svg.setAttribute("viewBox", [box.x, box.y, box.width, box.height].map((v) => v.toFixed(1)).join(" "));
  }
}
