import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startModelStandIn, userText, type ModelStandIn, type Turn } from '../../../model-stand-in/src/index.js';
import { validatePlanFile } from '../../src/authoring/index.js';
import { gitRepo, orchestra, sandbox, type Sandbox } from './support/cli.js';

// `godmode orchestra plan` driving the real Claude Code CLI through the model stand-in: scripted drafts.
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(script: Turn[]): Promise<{ standIn: ModelStandIn; box: Sandbox; repo: string }> {
  const standIn = await startModelStandIn({ script });
  const box = sandbox(standIn.url);
  cleanups.push(() => standIn.close(), () => box.dispose());
  const repo = join(box.root, 'repo');
  await gitRepo(repo, { 'package.json': JSON.stringify({ name: 'shop', scripts: { test: 'node --test' } }), 'src/api/orders.js': 'export {}\n', 'src/web/cart.js': 'export {}\n' });
  return { standIn, box, repo };
}

const writer = (id: string, owns: string, extra = ''): string => `      - id: ${id}
        worker:
          adapter: claude
          options:
            permissionMode: acceptEdits
            allowedTools: [Read, Glob, Grep, Edit, Write, Bash]
            prompt: "You own ${owns}. Write your claim as JSON to the file named by GODMODE_RESULT."
        owns: ["${owns}"]
        deliverables: ["${owns.replace('**', 'README.md')}"]
${extra}`;

const plan = (streams: string): string => `name: shop-discounts
test: node --test
phases:
  - id: recon
    streams:
      - id: recon
        worker: { adapter: claude, options: { permissionMode: plan, allowedTools: [Read, Glob, Grep, Write], prompt: "Map the repository into notes/recon.md." } }
        owns: [notes/recon.md]
        deliverables: [notes/recon.md]
  - id: build
    parallelism: 2
    streams:
${streams}`;

const good = plan(writer('api', 'src/api/**') + writer('web', 'src/web/**'));
// Two mistakes a model makes: a stream owning everything beside another, and a field that does not exist.
const broken = plan(writer('api', 'src/api/**', '        priority: high\n') + writer('web', 'src/**'));
const answer = (reasoning: string, yaml: string): Turn => ({ text: `${reasoning}\n\n\`\`\`yaml\n${yaml}\`\`\`\n` });

describe('godmode orchestra plan', { timeout: 180_000 }, () => {
  it('writes a valid draft with the model’s reasoning as comments, after reading the repository read-only', async () => {
    const { standIn, box, repo } = await setup([{ tool: { name: 'Glob', input: { pattern: '**/*.js' } } }, answer('The API and the web app live apart,\nso two builders own one folder each.', good)]);
    const run = await orchestra(['plan', 'Add discount codes', '--streams', '2'], repo, box.env);
    expect(run.exitCode, String(run.stderr)).toBe(0);
    expect(run.stdout).toContain('Wrote godmode.plan.yaml: a valid plan after 1 draft.');
    const text = readFileSync(join(repo, 'godmode.plan.yaml'), 'utf8');
    expect(text).toContain('# Add discount codes');
    expect(text).toContain("# Claude Code’s reasoning:\n# The API and the web app live apart,\n# so two builders own one folder each.");
    expect(text.endsWith(good)).toBe(true);
    expect((await validatePlanFile(join(repo, 'godmode.plan.yaml'), { env: box.env })).problems).toEqual([]);
    // Read-only: the writing tools are not even offered; the Glob call really ran in the repository.
    const tools = (standIn.messageRequests[0]!.body.tools as Array<{ name: string }>).map((t) => t.name);
    expect(tools).toContain('Read');
    expect(tools).not.toContain('Write');
    expect(tools).not.toContain('Edit');
    expect(tools).not.toContain('Bash');
    expect(userText(standIn.messageRequests[1]!.body)).toContain('src/api/orders.js');
    expect(userText(standIn.messageRequests[0]!.body)).toContain('Add discount codes');
  });

  it('sends the problems back and writes the fixed draft', async () => {
    const { standIn, box, repo } = await setup([answer('First try.', broken), answer('Fixed: web owns only src/web, and no priority field.', good)]);
    const run = await orchestra(['plan', 'Add discount codes', '--streams', '2'], repo, box.env);
    expect(run.exitCode, String(run.stderr)).toBe(0);
    expect(run.stderr).toMatch(/draft 1: 2 problems; sent back to Claude Code/);
    expect(run.stdout).toContain('a valid plan after 2 drafts');
    const feedback = userText(standIn.messageRequests[1]!.body);
    expect(feedback).toContain('phases[1].streams[0].priority: unknown field "priority"');
    expect(feedback).toMatch(/phases\[1\]\.streams\[1\]\.owns\[0\]: streams "api" and "web" of phase "build" may both write src\/api\//);
    const text = readFileSync(join(repo, 'godmode.plan.yaml'), 'utf8');
    expect(text.endsWith(good)).toBe(true);
    expect(text).toContain('# Fixed: web owns only src/web');
    expect((await validatePlanFile(join(repo, 'godmode.plan.yaml'), { env: box.env })).problems).toEqual([]);
  });

  it('exits 1 and writes nothing when no draft validates, showing the last problems', async () => {
    const { standIn, box, repo } = await setup([answer('One.', broken), answer('Two.', broken), answer('Three.', broken)]);
    const run = await orchestra(['plan', 'Add discount codes'], repo, box.env);
    expect(run.exitCode).toBe(1);
    expect(existsSync(join(repo, 'godmode.plan.yaml'))).toBe(false);
    expect(run.stderr).toMatch(/Claude Code's plan was still invalid after 3 rounds; nothing was written\. The last draft's problems:\n.*phases\[1\]\.streams\[0\]\.priority: unknown field "priority"/);
    expect(standIn.messageRequests).toHaveLength(3);
  });

  it('--json reports each draft and the outcome as NDJSON', async () => {
    const { box, repo } = await setup([answer('One.', broken), answer('Two.', good)]);
    const run = await orchestra(['plan', 'Add discount codes', '--json'], repo, box.env);
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const events = String(run.stdout)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => [e.type, e.round ?? null, e.valid ?? null])).toEqual([
      ['draft', 1, false],
      ['draft', 2, true],
      ['written', null, null],
    ]);
    expect((events[0]!.problems as Array<{ path: string }>).map((p) => p.path)).toContain('phases[1].streams[0].priority');
  });

  it('leaves an existing plan alone (exit 2) without asking Claude Code anything', async () => {
    const { standIn, box, repo } = await setup([answer('x', good)]);
    const first = await orchestra(['init'], repo, box.env);
    expect(first.exitCode).toBe(0);
    const run = await orchestra(['plan', 'Add discount codes'], repo, box.env);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/godmode\.plan\.yaml already exists/);
    expect(standIn.messageRequests).toHaveLength(0);
  });
});
