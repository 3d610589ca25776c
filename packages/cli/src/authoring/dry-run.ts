import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeDeliverable, isGlobDeliverable, type Plan } from '@godmode/protocol';
import { execa } from 'execa';
import { glob } from 'tinyglobby';

export interface DryRunStream {
  id: string;
  adapter: string;
  mode: string | null;
  owns: string[];
  deliverables: string[];
  check: string | null;
  budgetMs: number;
  attempts: number;
  /** The longest this stream can take: every attempt to its budget, the waits between attempts, its check. */
  worstCaseMs: number;
}

export interface DryRunPhase {
  id: string;
  parallelism: number;
  streams: DryRunStream[];
  /** Streams in waves of `parallelism`, each wave as long as its longest stream, plus the merge queue's checks. */
  worstCaseMs: number;
}

export interface DryRun {
  plan: string;
  repoDir: string;
  phases: DryRunPhase[];
  /** One work tree per stream over the run; at most this many exist at once (the widest phase). */
  worktrees: { total: number; atOnce: number };
  /** The repository's files (tracked and untracked-not-ignored), the size of one work tree. */
  bytesPerWorktree: number;
  bytesAtOnce: number;
  worstCaseMs: number;
}

/**
 * What a run of this plan would start, and its worst case — computed from the plan and a read of the
 * repository only (`git ls-files`, `lstat`): nothing is started and nothing on disk changes.
 */
export async function describeDryRun(plan: Plan, repoDir: string): Promise<DryRun> {
  const s = plan.settings;
  const verify = [plan.test, plan.lint, plan.typecheck].reduce((sum, check) => sum + (check?.timeoutMs ?? 0), 0);
  const phases = plan.phases.map((phase): DryRunPhase => {
    const streams = phase.streams.map((stream): DryRunStream => {
      const attempts = stream.maxAttempts ?? s.maxAttempts;
      const budgetMs = stream.budgetMs ?? s.budgetMs;
      let waits = 0;
      for (let k = 0; k < attempts - 1; k++) waits += Math.min(s.retryBaseMs * 2 ** k, s.retryMaxMs);
      const options = stream.worker.options;
      return {
        id: stream.id,
        adapter: stream.worker.adapter,
        mode: typeof options.permissionMode === 'string' ? options.permissionMode : null,
        owns: stream.owns ?? stream.deliverables.map((d) => (isGlobDeliverable(d) ? d.glob : d.path)),
        deliverables: stream.deliverables.map(describeDeliverable),
        check: stream.check?.command ?? null,
        budgetMs,
        attempts,
        worstCaseMs: attempts * (budgetMs + s.reapGraceMs + (stream.check?.timeoutMs ?? 0)) + waits,
      };
    });
    const sorted = streams.map((x) => x.worstCaseMs).sort((a, b) => b - a);
    let waves = 0;
    for (let i = 0; i < sorted.length; i += phase.parallelism) waves += sorted[i] ?? 0;
    return { id: phase.id, parallelism: phase.parallelism, streams, worstCaseMs: waves + streams.length * verify };
  });
  const atOnce = Math.max(...plan.phases.map((p) => Math.min(p.parallelism, p.streams.length)));
  const bytesPerWorktree = await repositoryBytes(repoDir);
  return {
    plan: plan.name,
    repoDir,
    phases,
    worktrees: { total: phases.reduce((n, p) => n + p.streams.length, 0), atOnce },
    bytesPerWorktree,
    bytesAtOnce: bytesPerWorktree * atOnce,
    worstCaseMs: phases.reduce((sum, p) => sum + p.worstCaseMs, 0),
  };
}

async function repositoryBytes(dir: string): Promise<number> {
  const git = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: dir, reject: false, env: { GIT_OPTIONAL_LOCKS: '0' }, maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
  const files = git?.exitCode === 0 ? String(git.stdout).split('\0').filter(Boolean) : await glob('**', { cwd: dir, dot: true, ignore: ['**/node_modules/**', '**/.git/**'] }).catch(() => []);
  let total = 0;
  for (let i = 0; i < files.length; i += 256) {
    const sizes = await Promise.all(files.slice(i, i + 256).map((f) => lstat(join(dir, f)).then((st) => (st.isFile() ? st.size : 0), () => 0)));
    total += sizes.reduce((a, b) => a + b, 0);
  }
  return total;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The dry run as lines for a terminal: the phase/stream graph with what each stream owns, then the totals. */
export function renderDryRun(run: DryRun): string[] {
  const lines = [`plan "${run.plan}" on ${run.repoDir}`];
  run.phases.forEach((phase, p) => {
    const last = p === run.phases.length - 1;
    lines.push(`${p === 0 ? '┌' : '├'}─ phase ${phase.id}: ${phase.streams.length} stream${phase.streams.length === 1 ? '' : 's'}, ${Math.min(phase.parallelism, phase.streams.length)} at once, worst case ${formatDuration(phase.worstCaseMs)}`);
    phase.streams.forEach((stream, s) => {
      const branch = s === phase.streams.length - 1 ? '└─' : '├─';
      lines.push(`│   ${branch} ${stream.id}  [${stream.adapter}${stream.mode ? `, ${stream.mode}` : ''}]  budget ${formatDuration(stream.budgetMs)} × ${stream.attempts}`);
      const pad = s === phase.streams.length - 1 ? '   ' : '│  ';
      lines.push(`│   ${pad}   owns: ${stream.owns.length ? stream.owns.join(', ') : '(nothing declared)'}`);
      if (stream.deliverables.length) lines.push(`│   ${pad}   delivers: ${stream.deliverables.join(', ')}`);
      if (stream.check) lines.push(`│   ${pad}   check: ${stream.check}`);
    });
    if (last) lines.push('└─ end: merge queue, scorecard.json, receipt.md');
    else lines.push('│');
  });
  lines.push(
    '',
    `work trees: ${run.worktrees.total} over the run, at most ${run.worktrees.atOnce} at once`,
    `disk: ${formatBytes(run.bytesPerWorktree)} per work tree, about ${formatBytes(run.bytesAtOnce)} at once (plus each stream's own build output)`,
    `worst case: ${formatDuration(run.worstCaseMs)} (every attempt to its budget, retries, the merge queue's checks)`,
    'Nothing was started: this was a dry run.',
  );
  return lines;
}
