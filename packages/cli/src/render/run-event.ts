import { paint } from './color.js';

/** One human line per conductor event worth a person's attention; the rest stays in the journal. */
export function renderRunEvent(event: Record<string, unknown>, print: (line: string) => void): void {
  const p = (event.payload ?? {}) as Record<string, any>;
  const kind = String(event.kind ?? event.type ?? '');
  const stream = String(p.stream ?? p.worker?.stream ?? '');
  switch (kind) {
    case 'run.started':
      print(`${paint('bold', 'run')} ${p.runId} — plan "${p.plan}" (${p.streams} streams) in ${p.runDir}`);
      break;
    case 'phase.started':
      print(`${paint('cyan', '▸ phase')} ${p.phase}`);
      break;
    case 'stream.spawned':
      print(`  ${paint('blue', '↗')} ${stream} attempt ${p.attempt} (pid ${p.identity?.pid})`);
      break;
    case 'worker.paused':
      print(`  ${paint('yellow', '⏸')} ${stream} paused: ${p.reason}`);
      break;
    case 'worker.resumed':
      print(`  ${paint('yellow', '▶')} ${stream} resumed`);
      break;
    case 'worker.stalled':
      print(`  ${paint('red', '…')} ${stream} stalled: ${p.reason}`);
      break;
    case 'worker.exited':
      print(`  ${paint('gray', '↘')} ${stream} exited (${p.how}${p.exitCode !== null && p.exitCode !== undefined ? `, code ${p.exitCode}` : ''})`);
      break;
    case 'stream.reconciled': {
      const color = p.status === 'shipped' ? 'green' : p.status === 'partial' ? 'yellow' : 'red';
      print(`  ${paint(color, p.status === 'shipped' ? '✓' : '✗')} ${stream} ${paint(color, String(p.status))} — ${p.sentence}`);
      break;
    }
    case 'stream.retry-scheduled':
      print(`  ${paint('yellow', '↻')} ${stream} retry ${p.attempt} in ${Math.round(Number(p.delayMs) / 1000)} s`);
      break;
    case 'run.takeover':
      print(`${paint('magenta', '⇄ takeover')} token ${p.token}: ${p.reason ?? ''}`);
      break;
    case 'merge.finished':
      print(`${paint('cyan', '⇉ merged')} ${(p.merged ?? []).join(', ') || 'nothing'}${p.conflicts?.length ? `; conflicts: ${p.conflicts.length}` : ''}`);
      break;
    case 'run.finished':
      print(`${paint('bold', 'done')} ${p.shipped}/${p.streams} shipped`);
      break;
    default:
      break;
  }
}
