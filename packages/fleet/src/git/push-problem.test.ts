import { describe, expect, it } from 'vitest';
import { pushProblem } from './remote.js';

// What git says when a push fails, and whether it means "refused" (fix permissions/hooks) or "not reached" (retry).
describe('pushProblem', () => {
  it.each([
    [' ! [remote rejected] abc -> refs/godmode/r/snapshots/s/1 (pre-receive hook declined)', 'push-refused'],
    [' ! [rejected]        abc -> refs/godmode/r/snapshots/s/1 (non-fast-forward)', 'push-refused'],
    ['remote: Permission to org/repo.git denied to bot.', 'push-refused'],
    ["fatal: unable to access 'https://x/': The requested URL returned error: 403 permission denied", 'push-refused'],
    ['error: insufficient permission for adding an object to repository database ./objects', 'push-refused'],
    ['fatal: unable to connect to 10.0.0.1:\n10.0.0.1[0: 10.0.0.1]: errno=Connection refused', 'remote-unreachable'],
    ["fatal: '/nowhere/remote.git' does not appear to be a git repository", 'remote-unreachable'],
    ['no answer from the remote within 30000 ms', 'remote-unreachable'],
    ['ssh: connect to host git.example port 22: Network is unreachable', 'remote-unreachable'],
  ])('%s → %s', (stderr, problem) => {
    expect(pushProblem(stderr)).toBe(problem);
  });
});
