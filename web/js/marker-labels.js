/** Width of one character of a marker's text at the chart's 11 px font, rounded up (measured: 6.1 px). */
const CHAR_PX = 7;
/** Least room between two labels on the same side. */
const GAP_PX = 6;

/**
 * Keeps a marker's text only where it fits: markers are drawn at their candle's x, their text
 * centred under (or over) them, so on close candles the texts overlapped into an unreadable band.
 * From the newest marker back, a label that would come closer than `GAP_PX` to the one already kept
 * on its side (above or below the bars) loses its text; the marker itself stays, with its colour and
 * shape. `xOf(time)` is the marker's x in pixels, `null` when off screen (labels there cannot collide
 * with visible ones and are kept). Returns the markers, in their order, and the smallest room left
 * between two kept labels on one side (`Infinity` with fewer than two).
 */
export function fitLabels(markers, xOf) {
  const leftEdge = { aboveBar: Infinity, belowBar: Infinity, inBar: Infinity };
  let room = Infinity;
  const fitted = new Array(markers.length);
  for (let i = markers.length - 1; i >= 0; i--) {
    const marker = markers[i];
    const x = marker.text ? xOf(marker.time) : null;
    if (x === null) {
      fitted[i] = marker;
      continue;
    }
    const half = (marker.text.length * CHAR_PX) / 2;
    const space = leftEdge[marker.position] - (x + half);
    if (space < GAP_PX) {
      fitted[i] = { ...marker, text: '' };
      continue;
    }
    if (Number.isFinite(space)) room = Math.min(room, space);
    leftEdge[marker.position] = x - half;
    fitted[i] = marker;
  }
  return { markers: fitted, room };
}
