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

/** A Markdown table cell: no pipes or newlines inside. */
export const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
