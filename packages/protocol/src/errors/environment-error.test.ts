import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_ERROR_CODES, EnvironmentError } from './environment-error.js';
import { GodmodeError } from './godmode-error.js';

const systemError = (code: string, path?: string, syscall = 'open') => Object.assign(new Error(`${code}: failure, ${syscall} '${path}'`), { code, syscall, ...(path ? { path } : {}) });

describe('EnvironmentError', () => {
  it.each([
    ['ENOSPC', /disk is full/, /Free space on the disk that holds \/runs\/r1\/journal\.jsonl/],
    ['EDQUOT', /quota/, /quota/],
    ['EROFS', /read-only/, /writable disk|remount \/runs\/r1/],
    ['EACCES', /permission denied/, /write access to \/runs\/r1/],
    ['EPERM', /not permitted/, /ls -ld \/runs\/r1/],
    ['EMFILE', /too many files/, /ulimit -n/],
    ['ENFILE', /too many files/, /system-wide/],
    ['EIO', /input\/output/, /disk/],
  ])('%s is a user-facing environment error naming the path and the fix', (code, what, fix) => {
    const e = EnvironmentError.from(systemError(code, '/runs/r1/journal.jsonl'));
    expect(e).not.toBeNull();
    expect(GodmodeError.isInstance(e)).toBe(true);
    expect(e!.audience).toBe('user');
    expect(e!.message).toContain('/runs/r1/journal.jsonl');
    expect(e!.message).toMatch(what);
    expect(e!.hint).toMatch(fix);
  });

  it('finds the system error in a cause chain, and leaves other errors alone', () => {
    const wrapped = new Error('append failed', { cause: new Error('inner', { cause: systemError('ENOSPC', '/x/y') }) });
    expect(EnvironmentError.from(wrapped)?.path).toBe('/x/y');
    expect(EnvironmentError.from(new TypeError('x is undefined'))).toBeNull();
    expect(EnvironmentError.from(systemError('ENOENT', '/x'))).toBeNull();
    expect(EnvironmentError.from(null)).toBeNull();
  });

  it('still says something useful without a path', () => {
    expect(EnvironmentError.from(systemError('ENOSPC'))!.message).toMatch(/disk is full \(ENOSPC\)/);
  });

  it('lists its codes', () => {
    expect(ENVIRONMENT_ERROR_CODES).toEqual(expect.arrayContaining(['ENOSPC', 'EROFS', 'EACCES']));
  });
});
