import { terminalText, workerFailureReason } from '@godmode/protocol';
import { paint } from './color.js';

/** Any value from a payload, made safe for one terminal line (worker text can hold escapes and newlines). */
const t = (v: unknown, max?: number): string => terminalText(v === undefined || v === null ? '' : String(v), max === undefined ? {} : { max });

/** What a `system:api_retry` activity says, whichever spelling its detail uses (Claude Code's or camelCase). */
export function describeApiRetry(detail: Record<string, unknown>): string {
  const pick = (...keys: string[]) => keys.map((k) => detail[k]).find((v) => v !== undefined && v !== null);
  const attempt = pick('attempt');
  const max = pick('max_retries', 'maxRetries');
  const status = pick('error_status', 'errorStatus');
  const error = pick('error');
  const delay = pick('retry_delay_ms', 'retryDelayMs');
  const bits = [
    attempt !== undefined ? `attempt ${t(attempt)}${max !== undefined ? `/${t(max)}` : ''}` : null,
    status !== undefined || error !== undefined ? [status, error].filter((x) => x !== undefined).map((x) => t(x, 60)).join(' ') : null,
    typeof delay === 'number' ? `next in ${Math.round(delay / 1000)} s` : null,
  ].filter(Boolean);
  return `retrying the API${bits.length ? ` (${bits.join(', ')})` : ''}`;
}

/** One human line per conductor event worth a person's attention; the rest stays in the journal. */
export function renderRunEvent(event: Record<string, unknown>, print: (line: string) => void): void {
  const p = (event.payload ?? {}) as Record<string, any>;
  const kind = String(event.kind ?? event.type ?? '');
  const stream = t(p.stream ?? p.worker?.stream ?? '');
  switch (kind) {
    case 'run.started':
      print(`${paint('bold', 'run')} ${t(p.runId)} — plan "${t(p.plan)}" (${t(p.streams)} streams) in ${t(p.runDir)}`);
      break;
    case 'phase.started':
      print(`${paint('cyan', '▸ phase')} ${t(p.phase)}`);
      break;
    case 'stream.spawned':
      print(`  ${paint('blue', '↗')} ${stream} attempt ${t(p.attempt)} (pid ${t(p.identity?.pid)})`);
      break;
    case 'worker.paused':
      print(`  ${paint('yellow', '⏸')} ${stream} paused: ${t(p.reason)}`);
      break;
    case 'worker.resumed':
      print(`  ${paint('yellow', '▶')} ${stream} resumed`);
      break;
    case 'worker.stalled':
      print(`  ${paint('red', '…')} ${stream} stalled: ${t(p.reason)}`);
      break;
    case 'worker.error':
    case 'worker.result':
    case 'worker.rate-limited': {
      const reason = workerFailureReason(kind, p);
      if (reason !== null) print(`  ${paint('red', '!')} ${stream} failed: ${t(reason)}`);
      break;
    }
    case 'worker.activity':
      if (p.kind === 'system:api_retry') print(`  ${paint('yellow', '⟳')} ${stream} ${describeApiRetry((p.detail ?? {}) as Record<string, unknown>)}`);
      break;
    case 'admissions.held':
      print(`  ${paint('yellow', '⏸')} ${t(p.adapter)} admissions held until ${t(p.until)}: ${t(p.reason, 200)}`);
      break;
    case 'admissions.resumed':
      print(`  ${paint('yellow', '▶')} ${t(p.adapter)} admissions resumed`);
      break;
    case 'stream.admission-held':
      print(`  ${paint('yellow', '⏸')} ${stream} held until ${t(p.until)} (${t(p.adapter)} usage limit)`);
      break;
    case 'worker.exited':
      print(`  ${paint('gray', '↘')} ${stream} exited (${t(p.how)}${p.exitCode !== null && p.exitCode !== undefined ? `, code ${t(p.exitCode)}` : ''})`);
      break;
    case 'stream.reconciled': {
      const color = p.status === 'shipped' ? 'green' : p.status === 'partial' ? 'yellow' : 'red';
      print(`  ${paint(color, p.status === 'shipped' ? '✓' : '✗')} ${stream} ${paint(color, t(p.status))} — ${t(p.sentence)}`);
      break;
    }
    case 'stream.retry-scheduled':
      print(`  ${paint('yellow', '↻')} ${stream} retry ${t(p.attempt)} in ${Math.round(Number(p.delayMs) / 1000)} s`);
      break;
    case 'run.takeover':
      print(`${paint('magenta', '⇄ takeover')} token ${t(p.token)}: ${t(p.reason ?? '')}`);
      break;
    case 'merge.finished':
      print(`${paint('cyan', '⇉ merged')} ${(Array.isArray(p.merged) ? p.merged : []).map((m: unknown) => t(m)).join(', ') || 'nothing'}${p.conflicts?.length ? `; conflicts: ${p.conflicts.length}` : ''}`);
      break;
    case 'run.finished':
      print(`${paint('bold', 'done')} ${t(p.shipped)}/${t(p.streams)} shipped`);
      break;
    default:
      break;
  }
}
