import { htmlText, markdownText } from '@godmode/protocol';

export const fmtScore = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : n.toFixed(2));

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}

export const fmtUsd = (n: number): string => (n === 0 ? '—' : `$${n.toFixed(n < 1 ? 4 : 2)}`);
export const fmtInt = (n: number): string => (n === 0 ? '0' : n.toLocaleString('en-US'));

/** `HH:MM:SS` (UTC) and the offset from the run's start. */
export function fmtAt(at: number, start: number | null): string {
  const clock = new Date(at).toISOString().slice(11, 19);
  if (start === null) return clock;
  const off = Math.max(0, Math.round((at - start) / 1000));
  return `${clock} (+${Math.floor(off / 60)}:${String(off % 60).padStart(2, '0')})`;
}

/**
 * A Markdown table cell or list item: worker text (claims, file names, errors) can reach any cell, so every
 * cell is made inert — controls as visible escapes, no pipe, newline, tag or Markdown syntax of its own.
 */
export const mdCell = (s: string): string => markdownText(s);

/** Markdown of our own (`**bold**` only) around text that may hold worker text: only the bold survives. */
export const mdLine = (s: string): string =>
  s
    .split('**')
    .map((part) => markdownText(part))
    .join('**');

/** HTML text or quoted attribute: entities for markup, visible escapes for controls and bidi overrides. */
export const escapeHtml = (s: string): string => htmlText(s);
