// Writes every deliverable, then a claim that tells the truth.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const work = process.env.GODMODE_WORKDIR;
mkdirSync(join(work, 'src'), { recursive: true });
mkdirSync(join(work, 'docs'), { recursive: true });
writeFileSync(join(work, 'src/greeting.js'), 'export function greet(name) {\n  return `Hello, ${name}!`;\n}\n');
writeFileSync(join(work, 'docs/usage.md'), '# Usage\n\nCall `greet("you")` to get a greeting.\n');
writeFileSync(join(work, 'docs/design.md'), '# Design\n\nOne pure function, no state.\n');
console.log('wrote src/greeting.js, docs/usage.md, docs/design.md');
writeFileSync(
  process.env.GODMODE_RESULT,
  JSON.stringify({ stream: process.env.GODMODE_STREAM, status: 'success', artifacts: ['src/greeting.js', 'docs/usage.md', 'docs/design.md'], summary: 'greeting module and its docs' }),
);
