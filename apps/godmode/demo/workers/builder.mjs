// A bundled stand-in for one of the seed's builders. It writes real files into its work tree over a few
// seconds, optionally burning CPU between writes (the seed's "thermal" builders), and then ends the way
// its builder did: an honest claim, a "throttled stub" claim, or silence with no claim at all.
//   node builder.mjs --files 6 --hot --ending silent|honest|throttled-stub --seconds 12
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '5' },
    hot: { type: 'boolean', default: false },
    ending: { type: 'string', default: 'honest' },
    seconds: { type: 'string', default: '10' },
    prefix: { type: 'string', default: 'src' },
  },
});
const work = process.env.GODMODE_WORKDIR;
const stream = process.env.GODMODE_STREAM;
const count = Number(values.files);
const stepMs = (Number(values.seconds) * 1000) / count;

function spin(ms) {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x = (x * 1103515245 + 12345) % 2147483648;
  return x;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const written = [];
for (let i = 1; i <= count; i++) {
  if (values.hot) spin(stepMs);
  else await sleep(stepMs);
  const rel = `${values.prefix}/${stream}-${i}.ts`;
  mkdirSync(dirname(join(work, rel)), { recursive: true });
  writeFileSync(
    join(work, rel),
    `/** Part ${i} of ${stream}, written by the demo builder. */\nexport function part${i}(input: string): string {\n  return \`${stream}:${i}:\${input.trim()}\`;\n}\n`,
  );
  written.push(rel);
  console.log(`wrote ${rel}`);
}

if (values.ending === 'honest') {
  writeFileSync(process.env.GODMODE_RESULT, JSON.stringify({ stream, status: 'success', artifacts: written, summary: `${count} files` }));
} else if (values.ending === 'throttled-stub') {
  // Everything is on disk, but the claim says otherwise — the seed's Builder-1.
  writeFileSync(process.env.GODMODE_RESULT, JSON.stringify({ stream, status: 'throttled stub', artifacts: [], summary: 'throttled, no artifacts' }));
} else {
  // Silent: finished, no claim, never exits on its own — the builders the seed's reaper killed.
  await new Promise(() => setInterval(() => {}, 1 << 30));
}
