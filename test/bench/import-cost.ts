/**
 * What importing one module costs a fresh process: wall time and resident memory after it.
 * Run by the benchmark as a child: `node import-cost.js <specifier>`; `slim:<specifier>`
 * imports it the way the watcher loads client-node (client-node-slim.ts).
 */
import {performance} from 'node:perf_hooks';
import {loadClientNodeSlim} from '../../functions/adapters/client-node-slim.js';

const argument = process.argv[2] ?? '';
const slim = argument.startsWith('slim:');
const specifier = slim ? argument.slice('slim:'.length) : argument;
const started = performance.now();
if (slim) loadClientNodeSlim();
await import(specifier);
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ms, rssMiB: process.memoryUsage().rss / 2 ** 20})}\n`);
