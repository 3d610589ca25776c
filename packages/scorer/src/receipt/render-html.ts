import { COST_HEADERS, costTableCells } from './cost-cells.js';
import { FLEET_HEADERS, fleetCells } from './fleet-cells.js';
import { escapeHtml as e, fmtAt, fmtScore } from './format.js';
import { buildReceiptModel, type ReceiptInput, type ReceiptModel } from './receipt-model.js';
import { renderTimelineSvg } from './timeline-svg.js';

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1d22;--muted:#666c78;--bg:#fbfbfc;--card:#fff;--line:#e2e4e9;--ok:#1f9d55;--warn:#c98a00;--bad:#d0342c;--out:#f08c2e;--disk:#1f9d55;--cpu:#3a6fd8}
@media (prefers-color-scheme:dark){:root{--fg:#e8e9ec;--muted:#9aa0ab;--bg:#15171b;--card:#1d2026;--line:#30343c}}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:960px;margin:0 auto;padding:32px 20px 64px}h1{font-size:28px;margin:0 0 4px}h2{font-size:19px;margin:36px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
.sub{color:var(--muted);margin:0 0 16px}.headline{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;background:var(--line)}
.headline.clean{background:#d7f3e2;color:#135f34}.headline.duress{background:#fdeccc;color:#7a5200}.headline.partly,.headline.nothing{background:#fbd9d6;color:#7d1b15}
ul.tldr{padding-left:20px}table{border-collapse:collapse;width:100%;background:var(--card);font-size:14px;margin:6px 0}th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:color-mix(in srgb,var(--line) 50%,transparent)}td.num{text-align:right;font-variant-numeric:tabular-nums}
.score{font-weight:700;font-variant-numeric:tabular-nums}.unmeasured{color:var(--muted);font-style:italic}.yes{color:var(--ok);font-weight:600}.no{color:var(--bad);font-weight:600}
.sev-critical,.sev-high{color:var(--bad);font-weight:700}.sev-medium{color:var(--warn);font-weight:600}.sev-low{color:var(--muted)}
figure.worker{margin:14px 0;padding:10px 12px;background:var(--card);border:1px solid var(--line);border-radius:8px}figcaption{font-size:13px;color:var(--muted);margin-bottom:4px}
figcaption b{color:var(--fg)}svg.timeline{display:block;max-width:100%;height:auto;font:11px system-ui,sans-serif}
svg .plot{fill:none;stroke:var(--line)}svg .tick,svg .axis{fill:var(--muted)}svg .output rect{fill:var(--out);opacity:.75}
svg .disk{fill:none;stroke:var(--disk);stroke-width:2.5}svg .cpu{fill:none;stroke:var(--cpu);stroke-width:1.5;stroke-dasharray:4 2}
svg .ceiling{stroke:var(--bad);stroke-dasharray:6 4;stroke-width:1}svg .pause{fill:var(--muted);opacity:.18}
svg .marker line{stroke-width:2}svg .reap line{stroke:var(--bad)}svg .reap text{fill:var(--bad);font-weight:700}
svg .stall line{stroke:var(--warn)}svg .stall text{fill:var(--warn);font-weight:700}svg .exit line{stroke:var(--muted);stroke-dasharray:2 2}svg .exit text{fill:var(--muted)}svg .empty{fill:var(--muted)}
.legend{font-size:13px;color:var(--muted);margin:4px 0 8px}.legend span{margin-right:14px}.sw{display:inline-block;width:12px;height:10px;margin-right:4px;vertical-align:middle}
footer{margin-top:40px;color:var(--muted);font-size:12px}
`;

const cell = (s: string, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${e(s)}</td>`;
const md = (s: string) => e(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');

export function renderReceiptHtmlFromModel(m: ReceiptModel): string {
  const card = m.scorecard;
  const headlineClass = { 'Shipped clean': 'clean', 'Shipped under duress': 'duress', 'Partly shipped': 'partly', 'Nothing shipped': 'nothing' }[m.headline] ?? '';
  const s: string[] = [];
  s.push(`<header><h1>${e(m.title)}</h1><p class="sub">Run <code>${e(m.run)}</code> · scored ${e(card.computedAt)} from the disk and the journal, never result.json · <span class="headline ${headlineClass}" id="headline">${e(m.headline)}</span></p></header>`);
  s.push(`<section id="tldr"><h2>TL;DR</h2><ul class="tldr">${m.tldr.map((l) => `<li>${md(l)}</li>`).join('')}</ul></section>`);

  s.push(`<section id="scorecard"><h2>Scorecard</h2><table class="scorecard"><thead><tr><th>Dimension</th><th>Score</th><th>Weight</th><th>Why</th></tr></thead><tbody>`);
  for (const { name, weight, dim } of m.dimensions) {
    s.push(
      `<tr data-dimension="${e(name)}" data-measured="${dim.measured}">${cell(name)}${dim.measured ? `<td class="score num">${fmtScore(dim.score)}</td>` : '<td class="unmeasured">unmeasured</td>'}${cell(String(weight), 'num')}${cell(dim.measured ? dim.why : dim.reason)}</tr>`,
    );
  }
  s.push(`</tbody><tfoot><tr data-dimension="overall"><th>Overall</th><td class="score num" id="overall">${fmtScore(card.overall)}</td><td colspan="2">weighted mean of the measured dimensions${card.unmeasured.length ? `; unmeasured: ${e(card.unmeasured.join(', '))}` : ''}</td></tr></tfoot></table></section>`);

  s.push(`<section id="claims"><h2>What the bookkeeping said vs what shipped</h2><table class="claims"><thead><tr><th>Stream</th><th>Phase</th><th>Bookkeeping (result.json)</th><th>Counted by it?</th><th>Disk (verdict)</th><th>Divergence</th></tr></thead><tbody>`);
  for (const c of m.claims) {
    s.push(
      `<tr data-stream="${e(c.stream)}" data-status="${c.status ?? 'none'}" data-divergence="${c.divergence ?? 'none'}">${cell(c.stream)}${cell(c.phase)}${cell(c.claim)}<td class="${c.bookkeepingCounts ? 'yes' : 'no'}">${c.bookkeepingCounts ? '✓ yes' : '✗ no'}</td><td class="${c.status === 'shipped' ? 'yes' : 'no'}" title="${e(c.sentence)}">${e(c.disk)}</td>${cell(c.divergence ?? '—')}</tr>`,
    );
  }
  s.push(`</tbody></table><p>divergence :: <strong id="disagreements">${m.disagreements}</strong> of ${m.claims.length} streams disagree with the disk. The disk wins.</p></section>`);

  s.push(`<section id="timelines"><h2>One builder, two truths</h2><p class="legend"><span><i class="sw" style="background:var(--out)"></i>output activity (what a heartbeat sees)</span><span><i class="sw" style="background:var(--disk)"></i>disk writes (what ships)</span><span><i class="sw" style="background:var(--cpu)"></i>CPU share</span><span><i class="sw" style="background:var(--bad)"></i>CPU ceiling ${Math.round(m.cpuCeiling * 100)}% / reap</span><span><i class="sw" style="background:var(--muted);opacity:.4"></i>paused</span></p>`);
  for (const w of m.workers) {
    s.push(
      `<figure class="worker" data-stream="${e(w.stream)}" data-attempt="${w.attempt}"><figcaption><b>${e(w.stream)}</b> · attempt ${w.attempt} · phase ${e(w.phase)} · <span class="outcome">${e(w.outcome)}</span> · ${w.cpuSeconds.toFixed(1)} CPU s · ${w.pauses.length} pauses · ${w.reaps.length} reaps</figcaption>${renderTimelineSvg(w, m.cpuCeiling)}</figure>`,
    );
  }
  if (m.workers.length === 0) s.push('<p class="unmeasured">No worker was journaled.</p>');
  s.push('</section>');

  if (m.fleet.length > 0) {
    s.push('<section id="fleet"><h2>Fleet: where each attempt ran</h2><table class="fleet"><thead><tr>' + FLEET_HEADERS.map((h) => `<th>${e(h)}</th>`).join('') + '</tr></thead><tbody>');
    for (const f of m.fleet) s.push(`<tr data-stream="${e(f.stream)}" data-attempt="${f.attempt}" data-moves="${f.moves}">${fleetCells(f).map((c) => cell(c)).join('')}</tr>`);
    s.push('</tbody></table><p>A move is the queue giving the job to another agent after the one running it went silent (died, or cut off from the database) or handed it back; the new try starts from the last snapshot the attempt pushed. The conductor judges the pushed commit itself.</p></section>');
  }

  s.push('<section id="broke"><h2>What broke</h2>');
  if (m.incidents.length === 0) s.push('<p>Nothing: no pause, stall, reap, error or takeover was journaled.</p>');
  else {
    s.push('<table class="incidents"><thead><tr><th>When (UTC)</th><th>Stream</th><th>What</th><th>Detail</th></tr></thead><tbody>');
    for (const i of m.incidents) {
      s.push(`<tr data-kind="${i.kind}"${i.stream ? ` data-stream="${e(i.stream)}"` : ''}>${cell(fmtAt(i.at, m.startedAt))}${cell(i.stream ? `${i.stream}${i.attempt !== null ? ` #${i.attempt}` : ''}` : 'run')}${cell(i.kind)}${cell(i.detail)}</tr>`);
    }
    s.push('</tbody></table>');
  }
  s.push('</section>');

  s.push('<section id="findings"><h2>Security findings</h2>');
  if (card.findings.length === 0) s.push('<p>None.</p>');
  else {
    s.push('<table class="findings"><thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Finding</th></tr></thead><tbody>');
    for (const f of card.findings) s.push(`<tr data-severity="${f.severity}" data-rule="${e(f.rule)}"><td class="sev-${f.severity}">${f.severity.toUpperCase()}</td>${cell(f.rule)}${cell(`${f.file}${f.line ? `:${f.line}` : ''}`)}${cell(f.message)}</tr>`);
    s.push('</tbody></table>');
  }
  s.push('</section>');

  s.push(
    `<section id="game"><h2>Game</h2><table class="game"><tbody><tr><th>Total points</th><td class="num" id="points">${card.game.points}</td></tr><tr><th>Level reached</th><td class="num" id="level">${card.game.level}</td></tr><tr><th>Longest combo</th><td class="num" id="combo">${card.game.longestCombo}</td></tr><tr><th>Achievements</th><td id="achievements">${card.game.achievements.map((a) => `<span class="achievement" data-achievement="${a}">${a}</span>`).join(', ') || 'none'}</td></tr></tbody></table></section>`,
  );

  s.push(`<section id="costs"><h2>What it cost</h2><table class="costs"><thead><tr>${COST_HEADERS.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>`);
  const costCells = costTableCells(card.costs);
  card.costs.forEach((r, row) => s.push(`<tr data-phase="${e(r.phase)}">${costCells[row]!.map((c, i) => cell(c, i === 0 ? '' : 'num')).join('')}</tr>`));
  s.push('</tbody></table></section>');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,">
<title>${e(m.title)} (${e(m.run)})</title><style>${STYLE}</style></head>
<body><main>${s.join('\n')}<footer>godmode receipt · self-contained: no script, no network.</footer></main></body></html>
`;
}

/** `receipt.html`: self-contained (inline CSS and SVG, no script, no network). */
export function renderReceiptHtml(input: ReceiptInput): string {
  return renderReceiptHtmlFromModel(buildReceiptModel(input));
}
