import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ClaimReading, Divergence } from '@godmode/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClaim, reconcile } from '../src/index.js';
import { mkfifo, real, tempDir, writeTree } from './helpers/tree.js';

type Shape = [name: string, write: (file: string) => void, state: ClaimReading['state'], divergence: Divergence];
const text = (t: string | Buffer) => (file: string) => writeFileSync(file, t);

/** Twenty-odd shapes of garbage a worker can leave as result.json, on a tree where everything shipped. */
const shapes: Shape[] = [
  ['absent', () => undefined, 'absent', 'no-claim'],
  ['empty file', text(''), 'invalid', 'no-claim'],
  ['whitespace', text('  \n\t'), 'invalid', 'no-claim'],
  ['not JSON', text('all done!'), 'invalid', 'no-claim'],
  ['truncated JSON', text('{"status": "success"'), 'invalid', 'no-claim'],
  ['null', text('null'), 'invalid', 'no-claim'],
  ['empty array', text('[]'), 'invalid', 'no-claim'],
  ['array of claims', text('[{"status":"success"}]'), 'invalid', 'no-claim'],
  ['number', text('42'), 'invalid', 'no-claim'],
  ['JSON string', text('"success"'), 'invalid', 'no-claim'],
  ['boolean', text('true'), 'invalid', 'no-claim'],
  ['empty object', text('{}'), 'read', 'no-claim'],
  ['status is a number', text('{"status": 5}'), 'read', 'no-claim'],
  ['status is null', text('{"status": null}'), 'read', 'no-claim'],
  ['status is a list', text('{"status": ["success"]}'), 'read', 'no-claim'],
  ['status is an object', text('{"status": {"text": "success"}}'), 'read', 'no-claim'],
  ['status is blank', text('{"status": "   "}'), 'read', 'no-claim'],
  ['BOM then JSON', text('\uFEFF{"status":"success"}'), 'read', 'agrees'],
  ['UTF-16LE with BOM', text(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"status":"throttled stub"}', 'utf16le')])), 'read', 'understated'],
  ['over 1 MB', text(JSON.stringify({ status: 'success', pad: 'x'.repeat(1_100_000) })), 'unreadable', 'no-claim'],
  ['random binary', text(Buffer.from([0, 255, 1, 254, 2, 253, 0x7b, 0x22])), 'invalid', 'no-claim'],
  ['extra fields and wrong artifacts', text('{"status":"success","extra":{"deep":[1,2,3]},"artifacts":"not a list"}'), 'read', 'agrees'],
  ['__proto__ smuggling a status', text('{"__proto__":{"status":"success"}}'), 'read', 'no-claim'],
  ['10 000-char status', text(JSON.stringify({ status: 'x'.repeat(10_000) })), 'read', 'no-claim'],
  ['a directory', (f) => mkdirSync(f), 'unreadable', 'no-claim'],
  ['a FIFO (must not block)', (f) => mkfifo(f), 'unreadable', 'no-claim'],
  ['boolean success field, no status', text('{"success": false}'), 'read', 'understated'],
];

let root: { dir: string; remove: () => void };
const work = () => path.join(root.dir, 'work');

beforeAll(() => {
  root = tempDir();
  writeTree(work(), { 'src/a.ts': real, 'src/b.ts': real });
});
afterAll(() => root?.remove());

describe('garbage claims never change the status', () => {
  it('covers at least 20 shapes', () => expect(shapes.length).toBeGreaterThanOrEqual(20));

  it.each(shapes)('%s', async (name, write, state, divergence) => {
    const file = path.join(root.dir, `claim-${shapes.findIndex((s) => s[0] === name)}.json`);
    write(file);
    const v = await reconcile({ stream: { id: 's', deliverables: [{ path: 'src/a.ts' }, { path: 'src/b.ts' }] }, workTree: work(), claim: { path: file } });
    expect(v.status).toBe('shipped');
    expect(v.claim.state).toBe(state);
    expect(v.divergence).toBe(divergence);
    expect(v.claim.status === null || v.claim.status.length <= 200).toBe(true);
    if (state !== 'read' && state !== 'absent') expect(v.claim.problem).toBeTruthy();
  });
});

describe('readClaim', () => {
  it('keeps only well-typed known fields (never a worker\'s other raw text), and names the problems', () => {
    const r = readClaim('{"status":"done","summary":3,"artifacts":["a.ts"],"tokens":12}');
    expect(r).toMatchObject({ state: 'read', status: 'done', says: 'success', claim: { status: 'done', artifacts: ['a.ts'] } });
    expect(r.claim).not.toHaveProperty('summary');
    expect(r.claim).not.toHaveProperty('tokens');
    expect(r.problem).toContain('"summary" is a number');
  });

  it('bounds and sanitises what it keeps: status 200, summary 500 characters, no control or bidi characters', () => {
    const r = readClaim(JSON.stringify({ status: `ok\u001b[2J\r\n${'s'.repeat(300)}`, summary: `\u202e${'y'.repeat(900)}`, artifacts: Array.from({ length: 500 }, (_, i) => `f${i}.ts`) }));
    expect(r.status).toMatch(/^ok \[2J s+…$/);
    expect([...(r.status as string)].length).toBe(200);
    expect(r.claim?.summary).toMatch(/^y+…$/);
    expect([...(r.claim?.summary as string)].length).toBe(500);
    expect(r.claim?.artifacts).toHaveLength(200);
  });

  it.each([
    ['success', 'success'],
    ['Shipped!', 'success'],
    ['COMPLETE', 'success'],
    ['throttled stub', 'failure'],
    ['stub', 'failure'],
    ['failed', 'failure'],
    ['error: OOM', 'failure'],
    ['no artifacts', 'failure'],
    ['not done', 'failure'],
    ['incomplete', 'partial'],
    ['partial success', 'partial'],
    ['in progress', 'partial'],
    ['banana', 'unknown'],
  ])('status %j reads as %s', (status, says) => {
    expect(readClaim(JSON.stringify({ status })).says).toBe(says);
  });
});
