import type { WorkerRecord } from '../journal/worker-records.js';
import { escapeHtml, fmtDuration } from './format.js';

const W = 760;
const H = 180;
const M = { left: 44, right: 16, top: 26, bottom: 26 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
const BUCKETS = 72;

const f = (n: number) => (Math.round(n * 10) / 10).toString();

/**
 * The seed's "one builder, two truths" chart for one worker: output activity (what a heartbeat sees)
 * as bars, cumulative disk writes (what actually ships) as a line, CPU share against the ceiling, and
 * pauses, stalls, reaps and the exit marked where they happened. Pure SVG, no script.
 */
export function renderTimelineSvg(w: WorkerRecord, cpuCeiling: number): string {
  const times = [w.spawnedAt, w.endedAt, ...w.output.map((o) => o.at), ...w.progress.map((p) => p.at), ...w.samples.map((s) => s.at)].filter(
    (t): t is number => t !== null,
  );
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const t of times) {
    if (t < t0) t0 = t;
    if (t > t1) t1 = t;
  }
  if (!Number.isFinite(t0)) {
    t0 = 0;
    t1 = 1000;
  }
  if (t1 - t0 < 1000) t1 = t0 + 1000;
  const x = (t: number) => M.left + ((Math.min(Math.max(t, t0), t1) - t0) / (t1 - t0)) * PW;
  const y = (v: number) => M.top + PH - Math.min(Math.max(v, 0), 1) * PH;
  const parts: string[] = [];
  const id = `${w.stream}-${w.attempt}`;

  // Axes and frame.
  parts.push(`<rect class="plot" x="${M.left}" y="${M.top}" width="${PW}" height="${PH}"/>`);
  for (const frac of [0, 0.25, 0.5, 0.75, 1]) {
    const tx = M.left + frac * PW;
    parts.push(`<text class="tick" x="${f(tx)}" y="${H - 8}" text-anchor="${frac === 0 ? 'start' : frac === 1 ? 'end' : 'middle'}">${escapeHtml(frac === 0 ? '0' : `+${fmtDuration((t1 - t0) * frac)}`)}</text>`);
  }

  // Pauses first, so everything else draws over them.
  for (const p of w.pauses) {
    const x0 = x(p.from);
    const x1 = x(p.to ?? t1);
    parts.push(`<rect class="pause" x="${f(x0)}" y="${M.top}" width="${f(Math.max(1.5, x1 - x0))}" height="${PH}"><title>paused: ${escapeHtml(p.reason)}</title></rect>`);
  }

  // Output activity: bytes per time bucket, scaled to the busiest bucket.
  const buckets = new Array<number>(BUCKETS).fill(0);
  for (const o of w.output) buckets[Math.min(BUCKETS - 1, Math.floor(((o.at - t0) / (t1 - t0)) * BUCKETS))]! += Math.max(1, o.bytes);
  const peak = Math.max(1, ...buckets);
  const bw = PW / BUCKETS;
  const bars = buckets
    .map((b, i) => (b > 0 ? `<rect x="${f(M.left + i * bw + 0.5)}" y="${f(y(b / peak))}" width="${f(Math.max(1, bw - 1))}" height="${f(M.top + PH - y(b / peak))}"/>` : ''))
    .join('');
  parts.push(`<g class="output" data-events="${w.output.length}">${bars}</g>`);

  // CPU share with the ceiling.
  parts.push(`<line class="ceiling" x1="${M.left}" x2="${M.left + PW}" y1="${f(y(cpuCeiling))}" y2="${f(y(cpuCeiling))}"><title>CPU ceiling ${Math.round(cpuCeiling * 100)}%</title></line>`);
  if (w.samples.length > 0) {
    const d = w.samples.map((s, i) => `${i === 0 ? 'M' : 'L'}${f(x(s.at))},${f(y(s.cpuShare))}`).join('');
    parts.push(`<path class="cpu" d="${d}" data-samples="${w.samples.length}"><title>CPU share (peak ${Math.round(w.samples.reduce((m, s) => Math.max(m, s.cpuShare), 0) * 100)}%, ${w.cpuSeconds.toFixed(1)} CPU s)</title></path>`);
  }

  // Disk writes: cumulative files created or changed, scaled to the total.
  let total = 0;
  for (const p of w.progress) total += p.created + p.changed;
  if (w.progress.length > 0) {
    let acc = 0;
    const pts = [`M${f(x(w.spawnedAt ?? t0))},${f(y(0))}`];
    for (const p of w.progress) {
      pts.push(`L${f(x(p.at))},${f(y(acc / Math.max(1, total)))}`);
      acc += p.created + p.changed;
      pts.push(`L${f(x(p.at))},${f(y(acc / Math.max(1, total)))}`);
    }
    pts.push(`L${f(x(t1))},${f(y(acc / Math.max(1, total)))}`);
    parts.push(`<path class="disk" d="${pts.join('')}" data-writes="${total}"><title>disk writes: ${total} files created or changed</title></path>`);
  }

  // Markers.
  // Labels sit on three rows (reap above the plot, stall and exit inside it) so that they do not collide.
  const marker = (cls: string, at: number, label: string, title: string, row: number) => {
    const lx = x(at) > M.left + PW - 60 ? x(at) - 3 : x(at) + 3;
    const anchor = x(at) > M.left + PW - 60 ? 'end' : 'start';
    return `<g class="marker ${cls}" data-at="${new Date(at).toISOString()}"><line x1="${f(x(at))}" x2="${f(x(at))}" y1="${M.top - 4}" y2="${M.top + PH}"/><text x="${f(lx)}" y="${M.top - 8 + row * 14}" text-anchor="${anchor}">${escapeHtml(label)}</text><title>${escapeHtml(title)}</title></g>`;
  };
  for (const s of w.stalls) parts.push(marker('stall', s.at, 'STALL', `stalled: ${s.reason}`, 2));
  for (const r of w.reaps) parts.push(marker('reap', r.at, 'REAPED', `reaped with ${r.signal}`, 0));
  if (w.exit && w.reaps.length === 0) parts.push(marker('exit', w.exit.at, 'exit', `exited (${w.exit.how}${w.exit.exitCode !== null ? `, code ${w.exit.exitCode}` : ''}${w.exit.signal ? `, ${w.exit.signal}` : ''})`, 3));

  if (w.output.length === 0 && w.progress.length === 0 && w.samples.length === 0) {
    parts.push(`<text class="empty" x="${M.left + PW / 2}" y="${M.top + PH / 2}" text-anchor="middle">no signals journaled for this worker</text>`);
  }
  parts.push(`<text class="axis" x="6" y="${M.top + 8}">100%</text><text class="axis" x="14" y="${M.top + PH}">0</text>`);

  const label = `${w.stream} attempt ${w.attempt}: ${w.outcome}; ${w.output.length} output events, ${total} disk writes, ${w.pauses.length} pauses, ${w.reaps.length} reaps`;
  return `<svg class="timeline" id="timeline-${escapeHtml(id)}" data-stream="${escapeHtml(w.stream)}" data-attempt="${w.attempt}" data-outcome="${w.outcome}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(label)}</title>${parts.join('')}</svg>`;
}
