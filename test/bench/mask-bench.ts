/**
 * `node build/test/bench/mask-bench.js [--runs=N]`: what masking a 64 KiB log excerpt costs
 * (issue 26, goal under 50 ms), figures not assertions. Prints the median of N runs of:
 *
 *   floor        one regex scan of the same text (the entropy layer's token pattern)
 *   rules        layers 2 and 3 alone (`maskSecretsSync`, the pure core)
 *   masking      all three layers (`maskSecrets`: secretlint, then the core), secretlint loaded
 *
 * for an ordinary excerpt (the benign corpus, one secret line in twenty) and a worst case
 * (every line from the secret corpus); then, each in a fresh process, the import cost of the
 * masking module (secretlint not loaded) and the cold load of secretlint on first use.
 */
import {spawnSync} from 'node:child_process';
import os from 'node:os';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {LOG_LIMIT_BYTES} from '../../functions/core/log-excerpt.js';
import {benignCorpus, secretCorpus} from '../core/secrets-corpus.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Lines taken in turn until the text fills `bytes`. */
function textOf(lines: readonly string[], bytes: number): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = lines[i % lines.length]!;
    out.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return out.join('\n').slice(0, bytes);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median wall and CPU milliseconds of `runs` runs (after one to warm up). */
async function timed(runs: number, action: () => unknown): Promise<[number, number]> {
  await action();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const usage = process.cpuUsage();
    await action();
    const used = process.cpuUsage(usage);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  return [median(wall), median(cpu)];
}

/** A fresh process's time for `what` (`import` of the module, or `load` of secretlint). */
function childMs(what: 'import' | 'load'): number {
  const result = spawnSync(process.execPath, [`${here}mask-bench.js`, `--child=${what}`], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`child ${what} failed: ${result.stderr}`);
  return Number(result.stdout.trim());
}

async function child(what: string): Promise<void> {
  const started = performance.now();
  const masking = await import('../../functions/mask-secrets.js');
  if (what === 'load') {
    const imported = performance.now();
    const {loadSecretlint} = await import('../../functions/adapters/secretlint-detector.js');
    await loadSecretlint();
    await masking.maskSecrets('warm');
    process.stdout.write(`${performance.now() - imported}\n`);
  } else {
    process.stdout.write(`${performance.now() - started}\n`);
  }
}

async function main(): Promise<void> {
  const childArg = process.argv.find(a => a.startsWith('--child='));
  if (childArg !== undefined) return child(childArg.split('=')[1] ?? '');
  const runs = Number(process.argv.find(a => a.startsWith('--runs='))?.split('=')[1] ?? 21);
  const {maskSecrets} = await import('../../functions/mask-secrets.js');
  const {maskSecretsSync} = await import('../../functions/core/secrets/mask.js');

  const secrets = secretCorpus().map(c => c.line);
  const benign = benignCorpus();
  const ordinary = benign.flatMap((line, i) =>
    i % 19 === 0 ? [line, secrets[i % secrets.length]!] : [line],
  );
  const texts: Array<[string, string]> = [
    ['ordinary', textOf(ordinary, LOG_LIMIT_BYTES)],
    ['all secrets', textOf(secrets, LOG_LIMIT_BYTES)],
  ];
  const ms = (n: number) => `${n.toFixed(2).padStart(8)} ms`;
  const pair = ([wall, cpu]: [number, number]) => `${ms(wall)} ${ms(cpu)}`;
  // On a shared machine wall time counts the other processes too; CPU time is this one's.
  console.log(
    `64 KiB excerpts, median of ${runs} runs; load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    'excerpt       lines  floor wall      cpu     rules wall      cpu   masking wall      cpu',
  );
  for (const [name, text] of texts) {
    const floor = await timed(runs, () => text.match(/[A-Za-z0-9+/_-]{20,}/g));
    const rules = await timed(runs, () => maskSecretsSync(text));
    const all = await timed(runs, () => maskSecrets(text));
    const lines = String(text.split('\n').length).padStart(6);
    console.log(`${name.padEnd(12)} ${lines} ${pair(floor)} ${pair(rules)} ${pair(all)}`);
  }
  const imports = [0, 1, 2].map(() => childMs('import'));
  const loads = [0, 1, 2].map(() => childMs('load'));
  console.log(`import of the masking module (fresh process, median of 3): ${ms(median(imports))}`);
  console.log(
    `secretlint cold load + first use (fresh process, median of 3): ${ms(median(loads))}`,
  );
}

await main();
