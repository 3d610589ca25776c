import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A real process whose stdout is a real pipe: the deferral the CLI's bundle installs (`{ made: false }` under the
// key), then writeStdout, then a report on stderr of whether the stream was made.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const tsx = `${repoRoot}node_modules/tsx/dist/esm/index.mjs`;
const stdoutModule = fileURLToPath(new URL('./stdout.ts', import.meta.url));

function child(body: string, opts: { closeEarly?: boolean } = {}) {
  const script = `
    const deferred = { made: false };
    const get = Object.getOwnPropertyDescriptor(process, 'stdout').get;
    Object.defineProperty(process, 'stdout', { configurable: true, get() { deferred.made = true; return get.call(process); } });
    process[Symbol.for('godmode.stdout')] = deferred;
    const { writeStdout, stdoutMade } = await import(${JSON.stringify(stdoutModule)});
    ${body}
    require('node:fs').writeSync(2, JSON.stringify({ made: deferred.made, stdoutMade: stdoutMade() }));
  `.replace("require('node:fs')", "(await import('node:fs'))");
  return new Promise<{ out: Buffer; err: string; code: number | null }>((resolve) => {
    const p = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    if (opts.closeEarly) p.stdout.destroy();
    else p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => (err += d));
    p.on('close', (code) => resolve({ out: Buffer.concat(out), err, code }));
  });
}

describe('writeStdout', () => {
  it('writes a document to the descriptor without making process.stdout', async () => {
    const r = await child("writeStdout(JSON.stringify({ run: 'r', streams: [1, 2, 3] }) + '\\n');");
    expect(r.code, r.err).toBe(0);
    expect(r.out.toString()).toBe('{"run":"r","streams":[1,2,3]}\n');
    expect(JSON.parse(r.err)).toEqual({ made: false, stdoutMade: false });
  });

  it('every byte arrives in order when the pipe fills (4 MiB through a 64 KiB pipe; a full non-blocking descriptor hands over to the stream)', async () => {
    const r = await child("const line = 'x'.repeat(1023) + '\\n'; for (let i = 0; i < 4096; i++) writeStdout(String(i).padStart(6, '0') + line.slice(6));");
    expect(r.code, r.err).toBe(0);
    const lines = r.out.toString('utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(4096);
    expect(lines.every((l, i) => l.startsWith(String(i).padStart(6, '0')) && l.length === 1023)).toBe(true);
  });

  it('goes through the stream once something made it, after what went to the descriptor', async () => {
    const r = await child("writeStdout('one\\n'); process.stdout.write('two\\n'); writeStdout('three\\n');");
    expect(r.code, r.err).toBe(0);
    expect(r.out.toString()).toBe('one\ntwo\nthree\n');
    expect(JSON.parse(r.err)).toEqual({ made: true, stdoutMade: true });
  });

  it('a reader that went away (EPIPE) is not an error', async () => {
    const r = await child("for (let i = 0; i < 64; i++) writeStdout('y'.repeat(65536));", { closeEarly: true });
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.err)).toEqual({ made: false, stdoutMade: false });
  });
});
