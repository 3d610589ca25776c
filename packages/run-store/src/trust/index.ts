export { stateDir } from './state-dir.js';
export { isTrusted, trustRun, type TrustOptions } from './trusted-runs.js';
