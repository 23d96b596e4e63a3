// The player's body map zoomed onto the area being worked, with a stroke arrow big enough to
// read from the floor (at least ARROW_MIN_PX on screen, however small the area is).
const FULL = { x: 0, y: 0, w: 200, h: 420 };
export const ARROW_MIN_PX = 56;

// The viewBox around a region's anchor, widened to the map's own shape so nothing is letterboxed.
export function zoomBox(anchor, aspect) {
  if (!anchor) return FULL;
  const left = Math.min(...anchor.xs), right = Math.max(...anchor.xs);
  let w = Math.max(right - left + 56, 80);
  let h = Math.max(anchor.len * 2 + 44, 96);
  if (aspect > 0) {
    if (w / h < aspect) w = h * aspect; else h = w / aspect;
  }
  w = Math.min(w, FULL.w * 1.6); h = Math.min(h, FULL.h);
  const cx = (left + right) / 2;
  const x = clamp(cx - w / 2, FULL.x - w * 0.3, FULL.w - w * 0.7);
  const y = clamp(anchor.y - h / 2, 0, Math.max(0, FULL.h - h));
  return { x, y, w, h };
}

function clamp(value, low, high) {
  return Math.min(Math.max(value, low), Math.max(low, high));
}

// The arrow's length in map units: the drawing's own length, or longer to reach ARROW_MIN_PX.
export function arrowLength(anchor, box, heightPx) {
  const perUnit = heightPx > 0 ? heightPx / box.h : 1;
  return Math.min(Math.max(anchor.len, ARROW_MIN_PX / perUnit), box.h * 0.8);
}

// A thick downward arrow centred on (0, 0); flipped vertically for an upward stroke.
export function arrowPath(length) {
  const half = length / 2;
  const head = length * 0.42;
  const shaft = Math.max(length * 0.1, 2);
  const wing = length * 0.3;
  const neck = half - head;
  const n = (v) => v.toFixed(2);
  return `M${n(-shaft)} ${n(-half)} L${n(shaft)} ${n(-half)} L${n(shaft)} ${n(neck)} L${n(wing)} ${n(neck)} ` +
    `L0 ${n(half)} L${n(-wing)} ${n(neck)} L${n(-shaft)} ${n(neck)} Z`;
}

export function applyBox(svg, box) {
  svg.setAttribute("viewBox", `${box.x.toFixed(1)} ${box.y.toFixed(1)} ${box.w.toFixed(1)} ${box.h.toFixed(1)}`);
}
