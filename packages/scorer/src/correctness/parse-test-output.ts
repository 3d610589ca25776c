/**
 * The scorer reads test output with godmode's one parser (in `@godmode/protocol`, shared with the
 * reconciler's check), re-exported here for the scorer's public API.
 */
export { parseTestOutput, type TestCounts, type TestOutputFormat } from '@godmode/protocol';
