/**
 * Loaded with `node --import` into every process the benchmark measures: on exit it writes the
 * process's own peak RSS and CPU time to `BENCH_USAGE_FILE`, so each figure is the child's,
 * not the benchmark's or its servers'.
 */
import {writeFileSync} from 'node:fs';

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        maxRssKiB: usage.maxRSS,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      }),
    );
  });
}
