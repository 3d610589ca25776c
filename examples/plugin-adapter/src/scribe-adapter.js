import { z } from 'zod';

/** Options of a `scribe` stream: which file to write in the work tree, and its lines. */
export const scribeOptions = z.object({
  file: z.string().min(1).describe('a path inside the work tree'),
  lines: z.array(z.string()).min(1),
  delayMs: z.number().int().min(0).max(60_000).default(0),
});

/**
 * A worker adapter: turns a stream's worker spec into a command line (here, Node running a tiny script that writes
 * the file line by line), and its output lines into events the supervisor understands.
 * The shape is `WorkerAdapter` from @godmode/supervisor; a plugin does not need to import it.
 */
export const scribeAdapter = {
  name: 'scribe',
  optionsSchema: scribeOptions,
  installHint: 'scribe runs with the Node that runs godmode; nothing to install.',
  launch(spec, context) {
    const options = scribeOptions.parse(spec.options);
    const script = `
      const { mkdirSync, appendFileSync } = require('node:fs');
      const { dirname, join } = require('node:path');
      const o = JSON.parse(process.env.SCRIBE_OPTIONS);
      const file = join(process.env.GODMODE_WORKDIR, o.file);
      mkdirSync(dirname(file), { recursive: true });
      let i = 0;
      const next = () => {
        if (i === o.lines.length) {
          console.log('scribe: done ' + o.lines.length);
          return;
        }
        appendFileSync(file, o.lines[i++] + '\\n');
        console.log('scribe: wrote line ' + i);
        setTimeout(next, o.delayMs);
      };
      next();
    `;
    return { file: process.execPath, args: ['-e', script], env: { ...context.env, SCRIBE_OPTIONS: JSON.stringify(options) } };
  },
  parseLine(line) {
    const m = /^scribe: wrote line (\d+)$/.exec(line);
    return m ? [{ type: 'activity', kind: 'scribe.line', detail: { line: Number(m[1]) } }] : [];
  },
};
