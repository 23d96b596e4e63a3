// Drawing the player: the current step, the body map with its moving stroke arrow, the clock.
import { clockText } from "./common.js";
import { nextAfter, repAt, stepNumbers } from "./timeline.js";
import { applyBox, arrowLength, arrowPath, zoomBox } from "./zoom.js";
import { StrokeLayer } from "./stroke.js";

const SVG = "http://www.w3.org/2000/svg";
const KIND_TITLES = {
  oil: ["Oil", "Warm some oil in your hands"],
  "check-in": ["Check in", "Ask how it feels"],
  announce: ["Moving on", "Tell your partner where next"],
  closing: ["Closing", "Rest your hands, then cover up"],
};
const STROKE_WORDS = {
  // Direction-neutral: some techniques stroke outward or along a limb, not down and up.
  "firm-down-light-up": ["Firm stroke", "Light return"],
  even: ["Even stroke", "Even return"],
  growing: ["A touch firmer each time", "Light return"],
  "press-release": ["Press and hold", "Release"],
};
const SIDES = { left: "left side", right: "right side" };

export class PlayerView {
  constructor(root, { clock = null } = {}) {
    this.root = root;
    this.step = root.querySelector('[data-testid="current-step"]');
    this.el = Object.fromEntries(["step-count", "step-what", "step-where", "countdown", "reps",
      "pressure", "pressure-value", "stroke", "next", "progress", "total-left", "say", "instruction", "caution"]
      .map((id) => [id, document.getElementById(id)]));
    this.bars = [...root.querySelectorAll(".pressure-bar span")];
    const map = document.getElementById("player-map");
    // One drawing per view (back, front); the one shown follows the position of the segment.
    this.views = JSON.parse(map.dataset.views || "{}");
    const anchors = { back: map.dataset.anchors, front: map.dataset.frontAnchors };
    this.maps = Object.fromEntries([...map.querySelectorAll("svg[data-view]")].map((svg) => {
      const layer = document.createElementNS(SVG, "g");
      layer.setAttribute("aria-hidden", "true");
      svg.appendChild(layer);
      return [svg.dataset.view, { svg, layer, anchors: JSON.parse(anchors[svg.dataset.view] || "{}") }];
    }));
    this.reduced = window.matchMedia("(prefers-reduced-motion: reduce)");
    // The moving hands of each step's motion, one layer per drawing (the zoom is this view's;
    // plans made before motions keep the arrows).
    for (const m of Object.values(this.maps)) {
      m.strokes = new StrokeLayer(m.svg, { reduced: this.reduced, clock, zoom: false });
    }
    this.useView("back");
    this.index = -1;
    this.pressure = null;
    this.seg = null;
    window.addEventListener("resize", () => this.seg !== null && this.zoom(this.seg));
  }

  // Everything that changes only when the segment (or the plan) changes; returns what to announce.
  showSegment(plan, i, fresh = true) {
    const seg = plan.segments[i];
    this.index = i;
    const step = seg.kind === "step";
    Object.assign(this.step.dataset, { region: seg.region || "", technique: seg.technique || "",
      kind: seg.kind, pressure: seg.pressure ?? "" });
    this.root.dataset.kind = seg.kind;
    const steps = stepNumbers(plan);
    const [label, title] = KIND_TITLES[seg.kind] || ["", seg.kind];
    this.el["step-count"].textContent = step
      ? `Step ${steps.indexOf(seg.step_index) + 1} of ${steps.length}` : label;
    this.el["step-what"].textContent = step ? seg.technique_name : title;
    const side = SIDES[seg.side] ? `, ${SIDES[seg.side]}` : "";
    this.el["step-where"].textContent = seg.region_name ? `${seg.region_name}${side}` : "";
    // The instruction always comes from the plan in force (a change rewrites its pressure);
    // a note shown under it stays until the session moves to another segment.
    this.el.instruction.textContent = seg.say || "";
    if (fresh) this.el.say.textContent = "";
    this.showPressure(seg.pressure);
    this.el.next.textContent = this.nextText(plan, i);
    this.useView(this.views[positionAt(plan, i)]);
    for (const m of Object.values(this.maps)) m.layer.replaceChildren();
    this.showCaution(seg);
    this.highlight(seg.kind === "step" || seg.kind === "announce" ? seg.region : null);
    this.seg = seg;
    this.zoom(seg);
    const where = seg.region_name ? ` on the ${seg.region_name.toLowerCase()}` : "";
    const pressure = step ? `, pressure ${seg.pressure} of 10` : "";
    return step ? `Now: ${seg.technique_name}${where}${pressure}.` : `${label}: ${title}.`;
  }

  nextText(plan, i) {
    const next = nextAfter(plan, i);
    if (!next) return "Last part of the session";
    if (next.kind === "closing") return "Next: the closing rest";
    return `Next: ${next.technique_name}, ${next.region_name.toLowerCase()}`;
  }

  showPressure(value) {
    const changed = this.pressure !== null && value != null && value !== this.pressure;
    this.pressure = value ?? null;
    this.el["pressure-value"].textContent = value ?? "–";
    this.bars.forEach((bar, k) => bar.classList.toggle("on", value != null && k < value));
    if (changed) {
      this.el.pressure.classList.remove("changed");
      void this.el.pressure.offsetWidth; // restart the flash
      this.el.pressure.classList.add("changed");
    }
  }

  // Show the drawing for a view; the others are hidden.
  useView(view) {
    const shown = this.maps[view] || this.maps.back || Object.values(this.maps)[0];
    if (!shown) return;
    for (const m of Object.values(this.maps)) m.svg.toggleAttribute("hidden", m !== shown);
    ({ svg: this.svg, layer: this.layer, anchors: this.anchors } = shown);
    this.view = shown.svg.dataset.view;
  }

  // The step's caution, from the plan (a list of cautions or one line).
  showCaution(seg) {
    const list = Array.isArray(seg.cautions) ? seg.cautions : seg.caution ? [seg.caution] : [];
    const text = list.map((c) => (typeof c === "string" ? c : c.text || c.say || "")).filter(Boolean).join(" ");
    this.el.caution.textContent = text ? `Careful: ${text}` : "";
    this.el.caution.hidden = !text;
  }

  // Zoom the map onto the area (the whole body between steps) and draw its arrows to scale.
  zoom(seg) {
    if (!this.svg) return;
    const region = seg.kind === "step" || seg.kind === "announce" ? seg.region : null;
    const anchor = region && this.anchors[region];
    const rect = this.svg.getBoundingClientRect();
    const box = zoomBox(anchor, rect.height > 0 ? rect.width / rect.height : 0);
    applyBox(this.svg, box);
    const moving = seg.kind === "step" && seg.motion ? seg : null;
    this.drawArrows(seg.kind === "step" && !moving ? seg : null, box, rect.height);
    for (const m of Object.values(this.maps)) m.strokes.show(m.svg === this.svg ? moving : null);
  }

  highlight(region) {
    for (const m of Object.values(this.maps)) {
      m.svg.querySelectorAll(".region.current").forEach((el) => el.classList.remove("current"));
    }
    if (region) this.svg?.querySelector(`[data-region="${region}"]`)?.classList.add("current");
  }

  drawArrows(seg, box, heightPx) {
    this.layer.replaceChildren();
    this.shapes = [];
    const anchor = seg && this.anchors[seg.region];
    if (!anchor) return;
    const len = arrowLength(anchor, box, heightPx);
    for (const x of anchor.xs) {
      const press = seg.stroke_rule === "press-release";
      const shape = document.createElementNS(SVG, press ? "circle" : "path");
      if (press) shape.setAttribute("r", (len / 2.2).toFixed(2));
      else shape.setAttribute("d", arrowPath(len));
      shape.setAttribute("class", press ? "press-dot" : "arrow");
      this.layer.appendChild(shape);
      this.shapes.push({ shape, x, y: anchor.y, len, press });
    }
  }

  // Called every frame: countdown, repetition, stroke phase and arrow position. Only what
  // changed is written, so a still frame costs no style or layout work.
  frame(plan, i, t) {
    const seg = plan.segments[i];
    const left = clockText(seg.start_s + seg.duration_s - t);
    put(this.el.countdown, left);
    this.el.countdown.classList.toggle("long", left.length > 4);
    const rep = repAt(seg, t, plan);
    put(this.el.reps, rep ? `Stroke ${rep.rep} of ${rep.of}` : "");
    const words = rep && (seg.motion?.labels || STROKE_WORDS[seg.stroke_rule]);
    put(this.el.stroke, words ? words[rep.down ? 0 : 1] : "");
    const phase = `stroke ${rep ? (rep.down ? "down" : "up") : ""}`;
    if (this.el.stroke.className !== phase) this.el.stroke.className = phase;
    this.moveArrows(seg, rep);
    for (const m of Object.values(this.maps)) m.strokes.sync();
    const total = plan.total_seconds || 1;
    // A thousandth of the session is finer than the bar can show.
    const done = Math.round(Math.min(t / total, 1) * 1000) / 1000;
    if (this.el.progress.value !== done) this.el.progress.value = done;
    put(this.el["total-left"], `${clockText(total - t)} left`);
  }

  moveArrows(seg, rep) {
    const still = this.reduced.matches;
    for (const { shape, x, y, len, press } of this.shapes || []) {
      if (!rep) { shape.setAttribute("visibility", "hidden"); continue; }
      shape.setAttribute("visibility", "visible");
      if (press) {
        const grow = still ? 0.6 : rep.half;
        shape.setAttribute("cx", x); shape.setAttribute("cy", y);
        const r = len / 2.2;
        shape.setAttribute("r", (rep.down ? r * (0.6 + 0.4 * grow) : r * (1 - 0.4 * grow)).toFixed(2));
        continue;
      }
      const dir = rep.down ? 1 : -1;
      const slide = still ? 0 : (rep.half - 0.5) * len * 0.35;
      const firm = rep.down && seg.stroke_rule !== "even";
      const grow = seg.stroke_rule === "growing" ? 0.8 + 0.4 * (rep.rep / rep.of) : 1;
      shape.setAttribute("class", `arrow ${firm ? "firm" : "light-stroke"}`);
      shape.setAttribute("transform", `translate(${x} ${(y + dir * slide).toFixed(2)}) scale(${grow} ${dir * grow})`);
    }
  }
}

function put(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

// The position the receiver is in at segment i: its own, the last one's, else the next one's.
export function positionAt(plan, i) {
  const segs = plan.segments;
  for (let k = i; k >= 0; k -= 1) if (segs[k].position) return segs[k].position;
  for (let k = i; k < segs.length; k += 1) if (segs[k].position) return segs[k].position;
  return plan.position;
}
