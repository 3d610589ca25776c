export { GodmodeError, type ErrorAudience } from './errors/godmode-error.js';
export { PLAN_ISSUES_SHOWN, PlanError, type PlanIssue } from './errors/plan-error.js';
export { ID_PATTERN, RUN_ID_PATTERN } from './id-patterns.js';
export { idSchema, runIdSchema } from './ids.js';
export { readLease } from './read/read-lease.js';
export { readVerdict } from './read/read-verdict.js';
export { relativePathSchema, staysInside } from './relative-path.js';
export {
  builtinAdapterOptions,
  claudeOptionsSchema,
  commandOptionsSchema,
  workerSpecSchema,
  type ClaudeOptions,
  type CommandOptions,
  type WorkerSpec,
} from './worker-spec.js';
export {
  deliverableSchema,
  describeDeliverable,
  globDeliverableSchema,
  isGlobDeliverable,
  pathDeliverableSchema,
  type Deliverable,
  type GlobDeliverable,
  type PathDeliverable,
} from './deliverable.js';
export {
  checkSchema,
  phaseSchema,
  planSchema,
  planSettingsSchema,
  streamSchema,
  type Check,
  type Phase,
  type Plan,
  type PlanInput,
  type PlanSettings,
  type Stream,
} from './plan/plan.js';
export { planStreams } from './plan/plan-streams.js';
export { PLAN_MAX_BYTES, formatPath, parsePlan, type ParsePlanOptions } from './plan/parse-plan.js';
export { claimSchema, type Claim } from './claim.js';
export {
  checkEvidenceSchema,
  claimReadingSchema,
  deliverableEvidenceSchema,
  divergenceSchema,
  fileEvidenceSchema,
  gitEvidenceSchema,
  verdictSchema,
  verdictStatusSchema,
  type CheckEvidence,
  type ClaimReading,
  type DeliverableEvidence,
  type Divergence,
  type FileEvidence,
  type GitEvidence,
  type Verdict,
  type VerdictStatus,
} from './verdict.js';
export {
  processStateSchema,
  workerEventSchema,
  workerIdentitySchema,
  type ProcessState,
  type WorkerEvent,
  type WorkerEventType,
  type WorkerIdentity,
} from './worker-event.js';
export { governorSampleKind, governorSampleSchema, sweptProcessSchema, workerFailureSchema, type GovernorSample, type SweptProcess, type WorkerFailure } from './worker-event.js';
export { journalEntrySchema, journalKinds, type JournalEntry } from './journal-entry.js';
export { leaseSchema, type Lease } from './lease.js';
export {
  dimensionNames,
  dimensionNameSchema,
  dimensionScoreSchema,
  findingSchema,
  scorecardSchema,
  type DimensionName,
  type DimensionScore,
  type Finding,
  type Scorecard,
} from './scorecard.js';
export { workerEnv } from './run-environment.js';
export { baseWorkerEnv, inheritedWorkerEnv, isGodmodeCredential, withoutGodmodeCredentials, workerEnvPolicySchema, type WorkerEnvPolicy } from './worker-env.js';
export { claimJsonSchema, cliEventJsonSchema, planJsonSchema } from './json-schema.js';
export { cliEventSchema, toJournalEvent, type CliEvent } from './cli-event.js';
export { UNSAFE_CHARACTERS, escapeControls, htmlText, markdownText, terminalText, visibleEscape } from './sanitize/index.js';
export { FAILURE_REASON_MAX, workerFailureReason } from './failure/worker-failure.js';
export { parseTestOutput, type TestCounts, type TestOutputFormat } from './test-output/parse-test-output.js';
export { CLAUDE_PERMISSION_MODES, type ClaudePermissionMode } from './permission-modes.js';
export { ENVIRONMENT_ERROR_CODES, EnvironmentError } from './errors/environment-error.js';
export { protocolRevision } from './revision.js';
export { validateForShortLivedProcess } from './short-lived.js';
