/**
 * What importing one module costs a fresh process: wall time and resident memory after it.
 * Run by the benchmark as a child: `node import-cost.js <specifier> [export]`; with an export
 * named, the figures include calling it (awaited), for what a module loads on first use.
 */
import {performance} from 'node:perf_hooks';

const specifier = process.argv[2] ?? '';
const call = process.argv[3];
const started = performance.now();
const module = (await import(specifier)) as Record<string, unknown>;
if (call !== undefined) {
  const fn = module[call];
  if (typeof fn !== 'function') throw new Error(`${specifier} has no function ${call}`);
  await (fn as () => Promise<unknown>)();
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ms, rssMiB: process.memoryUsage().rss / 2 ** 20})}\n`);
