/** Longest failure reason kept (characters); the rest of the text stays in the journal and the logs. */
export const FAILURE_REASON_MAX = 200;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

function firstLine(text: string): string {
  const line = text.trim().split(/\r?\n/, 1)[0] ?? '';
  return line.length > FAILURE_REASON_MAX ? `${line.slice(0, FAILURE_REASON_MAX - 1)}…` : line;
}

/**
 * Why a worker failed, in words, from one journal entry — or null when the entry says nothing about it.
 * The one rule every view uses (console, `status`, the receipt): the worker's own error (`worker.error`,
 * e.g. Claude Code not logged in), an error result (`worker.result` with `isError`: "API Error: 529
 * Overloaded", "Claude AI usage limit reached|…", max turns) and a usage limit (`worker.rate-limited`).
 * The text is the worker's and untrusted: sanitise it for the medium it is shown in.
 */
export function workerFailureReason(kind: string, payload: unknown): string | null {
  const p = (payload ?? {}) as Record<string, unknown>;
  switch (kind) {
    case 'worker.error': {
      const message = str(p.message);
      const code = str(p.code);
      if (code === 'not-logged-in') return `not logged in${message ? `: ${firstLine(message)}` : ''}`;
      return message ? firstLine(message) : code ? `error ${code}` : 'error';
    }
    case 'worker.result': {
      if (p.isError !== true) return null;
      const text = str(p.text);
      if (text) return firstLine(text);
      const subtype = str(p.subtype);
      return subtype === 'error_max_turns' ? 'stopped at its turn limit (max turns)' : `ended with an error${subtype ? ` (${subtype})` : ''}`;
    }
    case 'worker.rate-limited': {
      const resets = str(p.resetsAt);
      return `usage limit reached${resets ? `; resets at ${resets}` : ''}`;
    }
    default:
      return null;
  }
}
