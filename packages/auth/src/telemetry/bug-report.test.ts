import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bugNotice, writeBugReport } from './bug-report.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('bug reports', () => {
  it('write the stack, command and versions to a 0600 file with credentials hidden; the notice points there, no stack unless debug', async () => {
    dir = mkdtempSync(join(tmpdir(), 'godmode-bug-'));
    const error = new TypeError('could not reach postgres://fleet:hunter2secret@db/x');
    const report = await writeBugReport(error, { argv: ['orchestra', 'run', '--fleet', 'postgres://fleet:hunter2secret@db/x'], version: '1.2.3', env: { GODMODE_STATE_DIR: dir } });
    expect(report.file).toMatch(new RegExp(`^${dir}/bugs/.+\\.txt$`));
    const text = readFileSync(report.file!, 'utf8');
    expect(text).toContain('godmode 1.2.3');
    expect(text).toContain('command: godmode orchestra run --fleet postgres://***@db/x');
    expect(text).toMatch(/TypeError: could not reach postgres:\/\/\*\*\*@db\/x\n\s+at /);
    expect(text).not.toContain('hunter2secret');
    expect(statSync(report.file!).mode & 0o777).toBe(0o600);
    const notice = bugNotice(report, { debug: false });
    expect(notice).toContain('This is a bug in godmode: could not reach postgres://***@db/x');
    expect(notice).toContain(report.file!);
    expect(notice).not.toMatch(/\n\s+at /);
    expect(bugNotice(report, { debug: true })).toMatch(/\n\s+at /);
  });

  it('a report that cannot be written still tells everything on stderr', async () => {
    dir = mkdtempSync(join(tmpdir(), 'godmode-bug-'));
    // Its folder cannot exist: a regular file stands where it would be.
    writeFileSync(join(dir, 'state'), 'not a folder');
    const report = await writeBugReport(new Error('boom'), { argv: [], version: '1', dir: join(dir, 'state', 'bugs') });
    expect(report.file).toBeNull();
    expect(bugNotice(report, { debug: false })).toMatch(/Error: boom\n\s+at /);
  });
});
