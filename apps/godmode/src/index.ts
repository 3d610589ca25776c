export { Conductor, type ConductorEvent, type ConductorOptions, type ConductorOutcome } from './conductor/conductor.js';
export { LeaseKeeper } from './conductor/lease-keeper.js';
export { auditRun, type AuditReport } from './conductor/audit.js';
export { retryDelayMs } from './conductor/backoff.js';
export { createServices, conductRun, startDaemon, demoPlanFile } from './services.js';
export { COMMANDS } from '@godmode/cli';
