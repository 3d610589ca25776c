import { readFileSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GodmodeError, ID_PATTERN, RUN_ID_PATTERN, protocolRevision, planStreams, readVerdict as verdictOf, type Plan, type Verdict } from '@godmode/protocol';
import { writeJsonAtomic, writeTextAtomic } from './atomic-write.js';
import { RunExistsError } from './errors/run-exists-error.js';
import { RunFileError } from './errors/run-file-error.js';
import { RunNotFoundError } from './errors/run-not-found-error.js';
import { RunPathError } from './errors/run-path-error.js';
import { Journal } from './journal/journal.js';
import { insideRun, runLayout, type RunLayout } from './layout.js';
import { LeaseManager } from './lease/lease-manager.js';
import { RunStateBuilder, replaySkimsPayload } from './replay/replay.js';
import type { RunState } from './replay/run-state.js';
import { newRunId } from './run-id.js';
import { rememberValidated, wasValidated, type PlanMemoOptions } from './plan-memo/validated-plans.js';

/**
 * The protocol's zod schemas, loaded when a run is written or a plan validated: commands that only read runs
 * (`orchestra ls`, `status`) validate with the protocol's zod-free readers and never load zod (README → Start-up).
 */
const protocolSchemas = () => import('@godmode/protocol');

/** What `plan.json` holds: the validated plan and the folder its relative paths start from. */
export interface PlanRecord {
  version: 1;
  planDir: string;
  plan: Plan;
}

/**
 * One run directory. The only writer of it: every file goes in atomically, the journal only grows,
 * and nothing is written outside the folder.
 */
export class RunStore {
  readonly dir: string;
  readonly id: string;
  readonly layout: RunLayout;
  readonly journal: Journal;
  readonly lease: LeaseManager;
  private planCache: { plan: Plan; planDir: string } | null = null;
  private readonly planMemo: PlanMemoOptions;

  /** `planMemo`: which plan.json contents were validated before (plan-memo/validated-plans.ts); the built protocol's by default. */
  constructor(runDir: string, options: { planMemo?: PlanMemoOptions } = {}) {
    this.planMemo = options.planMemo ?? { revision: protocolRevision };
    this.layout = runLayout(runDir);
    this.dir = this.layout.runDir;
    this.id = path.basename(this.dir);
    this.lease = new LeaseManager({
      runDir: this.dir,
      leaseFile: this.layout.leaseFile,
      leasesDir: this.layout.leasesDir,
      tokenFloor: () => this.journal.highestToken(),
    });
    this.journal = new Journal({
      file: this.layout.journalFile,
      lockFile: this.layout.journalLock,
      currentToken: () => this.lease.currentTokenSync(),
    });
  }

  /**
   * The plan as the run recorded it, validated: by the plan schema, or — when this user's godmode validated these
   * exact bytes under the same protocol revision before — by that memo (plan-memo/validated-plans.ts).
   */
  async readPlan(): Promise<{ plan: Plan; planDir: string }> {
    if (this.planCache) return this.planCache;
    const file = this.layout.planFile;
    let bytes: Buffer;
    let record: Partial<PlanRecord>;
    try {
      // Synchronously, as the memo below: a small file that every `orchestra status` reads (runs.ts → listRuns says why).
      bytes = readFileSync(file);
      record = JSON.parse(bytes.toString('utf8')) as Partial<PlanRecord>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RunNotFoundError({ run: this.dir, cause: error });
      throw new RunFileError({ file, reason: (error as Error).message, cause: error });
    }
    if (typeof record?.planDir === 'string' && (await wasValidated(file, bytes, this.planMemo))) {
      this.planCache = { plan: record.plan as Plan, planDir: record.planDir };
      return this.planCache;
    }
    const { planSchema } = await protocolSchemas();
    const parsed = planSchema.safeParse(record?.plan);
    if (!parsed.success || typeof record.planDir !== 'string') {
      throw new RunFileError({ file, reason: parsed.success ? 'no "planDir"' : `its plan is invalid (${parsed.error.issues[0]?.message ?? 'unknown'})` });
    }
    // Only a plan the schema leaves as it is: a memo hands back the stored plan, which must be what validation gives.
    if (JSON.stringify(parsed.data) === JSON.stringify(record.plan)) await rememberValidated(file, bytes, this.planMemo);
    this.planCache = { plan: parsed.data, planDir: record.planDir };
    return this.planCache;
  }

  /** Atomic JSON write to a path inside the run (relative to it). */
  async writeJson(relPath: string, data: unknown): Promise<void> {
    await writeJsonAtomic(this.resolve(relPath), data);
  }

  /** Atomic text write to a path inside the run (relative to it). */
  async writeText(relPath: string, text: string): Promise<void> {
    await writeTextAtomic(this.resolve(relPath), text);
  }

  async writeVerdict(streamId: string, verdict: Verdict): Promise<void> {
    const { verdictSchema } = await protocolSchemas();
    const checked = verdictSchema.parse(verdict);
    await writeJsonAtomic(this.layout.verdictFile(this.streamId(streamId)), checked);
  }

  /** The stream's verdict file, or null when it has none yet. */
  async readVerdict(streamId: string): Promise<Verdict | null> {
    const file = this.layout.verdictFile(this.streamId(streamId));
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new RunFileError({ file, reason: 'not JSON', cause: error });
    }
    const read = verdictOf(value);
    if (read !== null) return read;
    // Not a verdict: zod says where it is wrong.
    const { verdictSchema } = await protocolSchemas();
    const parsed = verdictSchema.safeParse(value);
    throw new RunFileError({ file, reason: `not a verdict (${parsed.success ? 'unknown' : (parsed.error.issues[0]?.message ?? 'unknown')})` });
  }

  /** The run as its journal tells it. Streams the journal; never throws on a torn or corrupt line. */
  async replay(): Promise<RunState> {
    const { plan } = await this.readPlan();
    const builder = new RunStateBuilder(this.id, plan);
    const { tornTail } = await this.journal.scan(
      (e, payloadText) => builder.entry(e, payloadText),
      (c) => builder.corrupt(c),
      { lazy: replaySkimsPayload },
    );
    return builder.finish(tornTail);
  }

  /** Waits for pending journal appends and closes the journal. */
  async close(): Promise<void> {
    await this.journal.close();
  }

  private resolve(relPath: string): string {
    const full = insideRun(this.dir, relPath);
    if (full === null) throw new RunPathError({ path: relPath, runDir: this.dir });
    return full;
  }

  private streamId(id: string): string {
    if (!ID_PATTERN.test(id)) {
      throw new GodmodeError({ code: 'RUN_BAD_STREAM_ID', message: `"${id}" is not a stream id` });
    }
    return id;
  }
}

/** Creates the run directory: `plan.json` (once) and every stream's work folder. */
export async function createRun(options: { root: string; plan: Plan; planDir: string; runId?: string }): Promise<RunStore> {
  const runId = options.runId ?? newRunId(options.plan.name);
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new GodmodeError({ code: 'RUN_BAD_ID', audience: 'user', message: `"${runId}" is not a run id (letters, digits, ".", "_" or "-")` });
  }
  const { planSchema } = await protocolSchemas();
  const plan = planSchema.parse(options.plan);
  const root = path.resolve(options.root);
  await mkdir(root, { recursive: true });
  const dir = path.join(root, runId);
  try {
    await mkdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new RunExistsError({ runDir: dir });
    throw error;
  }
  const store = new RunStore(dir);
  for (const { stream } of planStreams(plan)) await mkdir(store.layout.workDir(stream.id), { recursive: true });
  const record: PlanRecord = { version: 1, planDir: path.resolve(options.planDir), plan };
  // Written last: a folder with plan.json is a complete run, so a crash mid-create leaves no half-run.
  await writeJsonAtomic(store.layout.planFile, record);
  return store;
}

/** Opens an existing run directory. */
export async function openRun(runDir: string): Promise<RunStore> {
  const dir = path.resolve(runDir);
  try {
    // Synchronous, as the other reads of a run are (one small stat; `node:fs/promises` is not loaded for it).
    const s = statSync(path.join(dir, 'plan.json'));
    if (!s.isFile()) throw new Error('plan.json is not a file');
  } catch (error) {
    throw new RunNotFoundError({ run: runDir, cause: error });
  }
  return new RunStore(dir);
}
