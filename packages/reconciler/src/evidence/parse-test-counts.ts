/** Pass/fail counts parsed from a test runner's output, or nulls when no summary line is recognised. */
export interface TestCounts {
  passed: number | null;
  failed: number | null;
}

const ansi = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

function num(text: string, re: RegExp): number | null {
  const m = re.exec(text);
  return m ? Number(m[1]) : null;
}

/** Each parser looks at the whole (ANSI-stripped) output and answers for its runner, or returns null. */
const parsers: Array<(out: string) => TestCounts | null> = [
  // vitest: "      Tests  2 failed | 10 passed (12)" (not "Test Files  …")
  (out) => {
    const lines = out.split('\n').filter((l) => /^\s*Tests\s{2,}.*\(\d+\)\s*$/.test(l));
    const line = lines.at(-1);
    if (!line) return null;
    return { passed: num(line, /(\d+) passed/) ?? 0, failed: num(line, /(\d+) failed/) ?? 0 };
  },
  // jest: "Tests:       1 failed, 2 skipped, 5 passed, 8 total"
  (out) => {
    const line = out.split('\n').filter((l) => /^\s*Tests:\s+.*\d+ total/.test(l)).at(-1);
    if (!line) return null;
    return { passed: num(line, /(\d+) passed/) ?? 0, failed: num(line, /(\d+) failed/) ?? 0 };
  },
  // TAP and node:test: "# pass 5" / "# fail 1", or node:test's spec reporter "ℹ pass 5" / "ℹ fail 0"
  (out) => {
    const pass = [...out.matchAll(/^\s*[#ℹ]\s*pass(?:ed)?\s+(\d+)\s*$/gm)].at(-1);
    const fail = [...out.matchAll(/^\s*[#ℹ]\s*fail(?:ed)?\s+(\d+)\s*$/gm)].at(-1);
    if (!pass && !fail) return null;
    return { passed: pass ? Number(pass[1]) : 0, failed: fail ? Number(fail[1]) : 0 };
  },
  // generic, pytest and mocha: "3 failed, 10 passed", "10 passing" / "2 failing" (the last of each)
  (out) => {
    const pass = [...out.matchAll(/(\d+)\s+(?:passed|passing)\b/gi)].at(-1);
    const fail = [...out.matchAll(/(\d+)\s+(?:failed|failing)\b/gi)].at(-1);
    if (!pass && !fail) return null;
    return { passed: pass ? Number(pass[1]) : 0, failed: fail ? Number(fail[1]) : 0 };
  },
];

export function parseTestCounts(output: string): TestCounts {
  const out = output.replace(ansi, '').replace(/\r/g, '');
  for (const parse of parsers) {
    const counts = parse(out);
    if (counts) return counts;
  }
  return { passed: null, failed: null };
}
