/** Longest piece of worker text sent to the page; the rest is counted, not sent. */
export const maxTextLength = 2_000;

// CSI / OSC / other escape sequences, then any C0/C1 control character but tab and newline.
const ansi = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])|\u009b[0-?]*[ -/]*[@-~]/g;
const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Worker text as the page may show it: escape sequences and control characters removed, cut to
 * `max` characters with the remainder counted. It is still untrusted: the page puts it in text nodes only.
 */
export function pageText(value: unknown, max = maxTextLength): string {
  if (typeof value !== 'string') return value === null || value === undefined ? '' : pageText(String(value), max);
  // Cut first (with margin for what the stripping removes): a 1 MB line is not scanned whole.
  const head = value.length > max * 4 ? value.slice(0, max * 4) : value;
  const clean = head.replace(ansi, '').replace(control, '');
  if (clean.length <= max && head.length === value.length) return clean;
  const shown = clean.slice(0, max);
  return `${shown}… (${(value.length - shown.length).toLocaleString('en-US')} more characters)`;
}

/** `pageText`, but null stays null. */
export function pageTextOrNull(value: unknown, max = maxTextLength): string | null {
  return value === null || value === undefined ? null : pageText(value, max);
}
