import type { RunStore } from '@godmode/run-store';

/** Emits journal entries after `fromSeq` as they land, until aborted; resolves with the last seq seen. */
export async function followJournal(store: RunStore, fromSeq: number, onEvent: (event: Record<string, unknown>) => void, signal: AbortSignal, periodMs = 250): Promise<number> {
  let last = fromSeq;
  while (!signal.aborted) {
    const { entries } = await store.journal.read();
    for (const e of entries) {
      if (e.seq <= last) continue;
      last = e.seq;
      onEvent({ type: 'journal', seq: e.seq, kind: e.kind, payload: e.payload });
    }
    await new Promise((r) => setTimeout(r, periodMs));
  }
  return last;
}
