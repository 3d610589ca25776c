import { describe, expect, it } from 'vitest';
import { commandNames } from '../../src/authoring/index.js';

// The programs a plan's command line starts, as `orchestra validate` and `orchestra run` look them up on PATH:
// redirections (with or without their target, before or after the program) and command substitutions inside
// double quotes are not programs.
describe('commandNames: redirections and substitutions', () => {
  it.each([
    ['env > out.txt', ['env']],
    ['> out.txt make', ['make']],
    ['make 2>&1 | tee log', ['make', 'tee']],
    ['make >&2', ['make']],
    ['make &> all.log && echo ok', ['make']],
    ['make >> a.log 2> err.log; git status', ['make', 'git']],
    ['sort < in.txt > out.txt', ['sort']],
    ['cat <<< "text" | wc -l', ['cat', 'wc']],
    ['make 2>/dev/null || true', ['make']],
    ['make & wait', ['make']],
    ['echo "$(date | tr "a" "b")" > x', []],
    ['echo "a $(printf "%s" ")") b" | tee x', ['tee']],
    ['x=`git rev-parse HEAD` node build.js', ['node']],
    // The worker of the credentials test (apps/godmode/test/worker-credentials.test.ts), as YAML hands it over.
    [`env; env > "$GODMODE_WORKDIR/env.txt"; echo "{\\"status\\":\\"done\\",\\"summary\\":\\"$(env | tr "\\n" " " | head -c 400)\\"}" > "$GODMODE_RESULT"`, ['env', 'env']],
  ])('%s → %j', (line, names) => expect(commandNames(line)).toEqual(names));
});
