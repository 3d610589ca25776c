import { costTableCells, COST_HEADERS } from './cost-cells.js';
import { fmtAt, fmtScore, mdCell, mdLine } from './format.js';
import { FLEET_HEADERS, fleetCells } from './fleet-cells.js';
import { buildReceiptModel, type ReceiptInput, type ReceiptModel } from './receipt-model.js';

const table = (headers: string[], rows: string[][]): string =>
  [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n');

export function renderReceiptMarkdownFromModel(m: ReceiptModel): string {
  const card = m.scorecard;
  const out: string[] = [];
  out.push(`# ${mdCell(m.title)}`, '', `Run \`${m.run}\` · scored ${card.computedAt} from the disk and the journal (never result.json).`, '');
  out.push('## TL;DR', '', ...m.tldr.map((l) => `- ${mdLine(l)}`), '');

  out.push('## Scorecard', '');
  out.push(
    table(
      ['Dimension', 'Score', 'Weight', 'Why'],
      m.dimensions.map(({ name, weight, dim }) => [name, dim.measured ? fmtScore(dim.score) : 'unmeasured', String(weight), dim.measured ? dim.why : dim.reason]),
    ),
  );
  out.push('', `**Overall ${fmtScore(card.overall)}** — the weighted mean of the measured dimensions${card.unmeasured.length ? `; left out as unmeasured: ${card.unmeasured.join(', ')}` : ''}.`, '');

  out.push('## What the bookkeeping said vs what shipped', '');
  out.push(
    table(
      ['Stream', 'Phase', 'Bookkeeping (result.json)', 'Counted by it?', 'Disk (verdict)', 'Divergence'],
      m.claims.map((c) => [c.stream, c.phase, c.claim, c.bookkeepingCounts ? '✓ yes' : '✗ no', c.disk, c.divergence ?? '—']),
    ),
  );
  out.push('', `divergence :: ${m.disagreements} of ${m.claims.length} streams disagree with the disk. The disk wins.`, '');

  if (m.mergeQueue.length > 0) {
    out.push('## Merge queue', '');
    out.push(table(['Phase', 'Stream', 'Outcome', 'Detail'], m.mergeQueue.map((q) => [q.phase, q.stream, q.outcome, q.detail])), '');
  }
  if (m.outsideOwns.length > 0) {
    out.push('## Files changed outside what a stream owns', '');
    out.push(table(['Stream', 'Files', 'Count'], m.outsideOwns.map((o) => [o.stream, o.files.slice(0, 10).join(', ') + (o.count > 10 ? ', …' : ''), String(o.count)])), '');
  }

  if (m.fleet.length > 0) {
    out.push('## Fleet: where each attempt ran', '');
    out.push(
      table(
        FLEET_HEADERS,
        m.fleet.map((f) => fleetCells(f)),
      ),
      '',
      'A move is pg-boss giving the job to another agent after the one running it went silent (died, or cut off from the database) or handed it back; the new try starts from the last snapshot the attempt pushed. The conductor judges the pushed commit itself.',
      '',
    );
  }

  out.push('## What broke', '');
  if (m.incidents.length === 0) out.push('Nothing: no pause, stall, reap, error or takeover was journaled.', '');
  else {
    out.push(
      table(
        ['When (UTC)', 'Stream', 'What', 'Detail'],
        m.incidents.map((i) => [fmtAt(i.at, m.startedAt), i.stream ? `${i.stream}${i.attempt !== null ? ` #${i.attempt}` : ''}` : 'run', i.kind, i.detail]),
      ),
      '',
    );
  }

  out.push('## Security findings', '');
  if (card.findings.length === 0) out.push('None.', '');
  else out.push(table(['Severity', 'Rule', 'Where', 'Finding'], card.findings.map((f) => [f.severity.toUpperCase(), f.rule, `${f.file}${f.line ? `:${f.line}` : ''}`, f.message])), '');

  out.push('## Game', '');
  out.push(
    table(
      ['Metric', 'Value'],
      [
        ['Total points', String(card.game.points)],
        ['Level reached', `${card.game.level}${card.game.nextLevelAt !== null ? ` (next at ${card.game.nextLevelAt})` : ''}`],
        ['Longest combo', `${card.game.longestCombo} workers in a row without a stumble`],
        ['Achievements', card.game.achievements.join(', ') || 'none'],
      ],
    ),
    '',
  );

  out.push('## What it cost', '');
  out.push(table(COST_HEADERS, costTableCells(card.costs)), '');
  return out.join('\n');
}

/** `receipt.md`: TL;DR, scorecard with a why for each dimension, claim vs disk, what broke, findings, game, costs. */
export function renderReceiptMarkdown(input: ReceiptInput): string {
  return renderReceiptMarkdownFromModel(buildReceiptModel(input));
}
