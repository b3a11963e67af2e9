/**
 * How close the process is to its memory limit, logged after every pass (issue 14) so an
 * operator sees the headroom before the platform kills an instance, which it does without a
 * word in the function's own log. Sizing rule (measured by `npm run bench`, documented in
 * `infra/deploy.sh`): ~125 MiB for Node and the SDKs plus ~6 MiB per 1,000 CronJobs.
 */
import {readFileSync} from 'node:fs';
import {getHeapStatistics} from 'node:v8';
import type {Logger} from './logger.js';

/** A pass that peaks above this share of a limit is logged as a warning. */
export const MEMORY_WARNING_SHARE = 0.85;

/** The process's memory against its limits, in MiB. */
export interface MemoryReport {
  /** Peak resident memory since the process (function instance) started. */
  peakRssMiB: number;
  rssMiB: number;
  heapUsedMiB: number;
  /** V8's heap limit (`--max-old-space-size` plus the young generation). */
  heapLimitMiB: number;
  /** The container's memory limit (cgroup), null when there is none or it is unreadable. */
  memoryLimitMiB: number | null;
  /** True when the peak or the heap is at `MEMORY_WARNING_SHARE` of its limit or more. */
  nearLimit: boolean;
}

const MIB = 2 ** 20;
// cgroup v2, then v1; "max" (v2) or a huge number (v1) means no limit.
const CGROUP_LIMIT_FILES = [
  '/sys/fs/cgroup/memory.max',
  '/sys/fs/cgroup/memory/memory.limit_in_bytes',
];
// v1 reports "no limit" as a number near 2^63; anything above 1 TiB is not a real limit.
const NO_LIMIT_BYTES = 2 ** 40;

/** The container's memory limit in bytes, or null. */
export function containerMemoryLimit(files: string[] = CGROUP_LIMIT_FILES): number | null {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch {
      continue;
    }
    const bytes = Number(text);
    return Number.isFinite(bytes) && bytes > 0 && bytes < NO_LIMIT_BYTES ? bytes : null;
  }
  return null;
}

/** Measures now. `limitBytes`: the container limit (default: read from the cgroup). */
export function memoryReport(limitBytes: number | null = containerMemoryLimit()): MemoryReport {
  const heap = getHeapStatistics();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const nearLimit =
    heap.used_heap_size >= MEMORY_WARNING_SHARE * heap.heap_size_limit ||
    (limitBytes !== null && peakRss >= MEMORY_WARNING_SHARE * limitBytes);
  const mib = (bytes: number) => Math.round(bytes / MIB);
  return {
    peakRssMiB: mib(peakRss),
    rssMiB: mib(process.memoryUsage.rss()),
    heapUsedMiB: mib(heap.used_heap_size),
    heapLimitMiB: mib(heap.heap_size_limit),
    memoryLimitMiB: limitBytes === null ? null : mib(limitBytes),
    nearLimit,
  };
}

/** Logs the report: INFO, or WARNING with what to do when the pass came close to a limit. */
export function logMemory(logger: Logger, report: MemoryReport = memoryReport()): void {
  if (!report.nearLimit) {
    // The figures in the words too: the CLI's lines show no fields below WARNING.
    logger.log(
      'INFO',
      `pass memory: peak ${report.peakRssMiB} MiB` +
        (report.memoryLimitMiB === null ? '' : ` of ${report.memoryLimitMiB} MiB`) +
        `, heap ${report.heapUsedMiB} of ${report.heapLimitMiB} MiB`,
      {...report},
    );
    return;
  }
  logger.log(
    'WARNING',
    `pass memory is close to the limit (peak ${report.peakRssMiB} MiB of ${report.memoryLimitMiB ?? '?'} MiB, ` +
      `heap ${report.heapUsedMiB} of ${report.heapLimitMiB} MiB): give the function more memory ` +
      '(see the sizing rule in infra/deploy.sh) before a larger pass gets it killed',
    {...report},
  );
}
