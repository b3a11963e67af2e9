/**
 * Loaded with `node --import` into every process the benchmark measures: on exit it writes the
 * process's own peak RSS and CPU time to `BENCH_USAGE_FILE`, so each figure is the child's,
 * not the benchmark's or its servers'.
 */
import {readFileSync, writeFileSync} from 'node:fs';

/**
 * VmHWM, this process's own peak. `resourceUsage().maxRSS` (getrusage) also counts the
 * resident memory of the parent at fork time — the benchmark, holding the fleet's pages — and
 * so said ~700 MiB for every child at 20,000 CronJobs.
 */
function ownPeakRssKiB(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match === null ? null : Number(match[1]);
  } catch {
    return null;
  }
}

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        maxRssKiB: ownPeakRssKiB() ?? usage.maxRSS,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      }),
    );
  });
}
