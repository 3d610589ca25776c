/** Control characters (C0, DEL, C1) and bidirectional overrides/isolates, which can forge or hide text. */
const controls = /[\u0000-\u001f\u007f-\u009f]+/g;
const bidi = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Worker text made safe to keep: control characters become one space (so a newline cannot forge a line
 * and ESC cannot start a sequence), bidi controls are dropped, runs of spaces collapse, and the result is
 * cut to `max` characters (with `…`). Used for every piece of a claim the reconciler keeps.
 */
export function sanitiseText(text: string, max: number): string {
  const clean = text.replace(controls, ' ').replace(bidi, '').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${[...clean].slice(0, max - 1).join('')}…` : clean;
}
