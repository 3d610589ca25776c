import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { scanChunk, type ChunkInput, type ChunkOutput } from './scan-chunk.js';

/** Below this many files a worker's start-up costs more than it saves. */
export const PARALLEL_MIN_FILES = 5000;

// Bundlers and loaders may wrap functions with a `__name` helper (esbuild's keepNames); the worker has none.
const WORKER_SOURCE = `
const __name = (f) => f;
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const scanChunk = (${scanChunk.toString()});
parentPort.postMessage(scanChunk(fs, workerData));
`;

let workerBroken = false;

function inWorker(input: ChunkInput): Promise<ChunkOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: input });
    worker.once('message', (m: ChunkOutput) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`scan worker exited with ${code}`));
    });
  });
}

/**
 * Scans files on the main thread and, for big trees, a worker thread at once (every other file each,
 * so both halves cost the same). If the worker cannot start or fails, its half is scanned here: the
 * result is the same either way, only slower.
 */
export async function scanFiles(input: ChunkInput): Promise<ChunkOutput & { threads: number }> {
  if (input.files.length < PARALLEL_MIN_FILES || workerBroken) return { ...scanChunk(fs, input), threads: 1 };
  const mine = input.files.filter((_, i) => i % 2 === 0);
  const theirs = input.files.filter((_, i) => i % 2 === 1);
  const pending = inWorker({ ...input, files: theirs }).catch(() => {
    workerBroken = true;
    return null;
  });
  const a = scanChunk(fs, { ...input, files: mine });
  const b = (await pending) ?? scanChunk(fs, { ...input, files: theirs });
  return {
    bytes: a.bytes + b.bytes,
    truncated: [...a.truncated, ...b.truncated],
    secrets: [...a.secrets, ...b.secrets],
    canaries: [...a.canaries, ...b.canaries],
    texts: [...a.texts, ...b.texts],
    threads: workerBroken ? 1 : 2,
  };
}
