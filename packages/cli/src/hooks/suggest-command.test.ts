import { describe, expect, it } from 'vitest';
import { suggestCommand } from './suggest-command.js';

const known = ['ask', 'chat', 'login', 'logout', 'run', 'whoami', 'orchestra:run', 'orchestra:demo', 'orchestra:watch', 'orchestra:status', 'orchestra:stop', 'orchestra:takeover', 'skills:list'];

describe('suggestCommand', () => {
  it.each([
    ['orchestra:rnu', 'orchestra:run'],
    ['orchestra:rnu:plan.yaml', 'orchestra:run'],
    ['orchestra:wacth', 'orchestra:watch'],
    ['orchestra:stauts', 'orchestra:status'],
    ['loign', 'login'],
    ['whoamii', 'whoami'],
    ['skills:lst', 'skills:list'],
    ['xyzzyplugh', undefined],
  ])('%s → %s', (typed, expected) => {
    expect(suggestCommand(typed, known)).toBe(expected);
  });
});
