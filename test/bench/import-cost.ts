/**
 * What importing one module costs a fresh process: wall time and resident memory after it.
 * Run by the benchmark as a child: `node import-cost.js <specifier>`.
 */
import {performance} from 'node:perf_hooks';

const specifier = process.argv[2] ?? '';
const started = performance.now();
await import(specifier);
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ms, rssMiB: process.memoryUsage().rss / 2 ** 20})}\n`);
