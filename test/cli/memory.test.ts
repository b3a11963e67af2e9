/**
 * The memory report logged after every pass (issue 14): the container limit as cgroups state
 * it, and a warning when a pass came close to a limit.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {containerMemoryLimit, logMemory, memoryReport} from '../../functions/memory.js';
import type {LogFields, Severity} from '../../functions/logger.js';

describe('memory report', () => {
  for (const [content, expected] of [
    ['536870912\n', 536870912],
    ['max\n', null],
    ['9223372036854771712\n', null],
    ['garbage', null],
  ] as const) {
    it(`reads a cgroup limit of ${JSON.stringify(content)} as ${expected}`, async () => {
      const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'cgroup-')), 'memory.max');
      await writeFile(file, content);
      assert.equal(containerMemoryLimit([path.join(file, 'missing'), file]), expected);
    });
  }

  it('has no limit when no cgroup file is readable', () => {
    assert.equal(containerMemoryLimit(['/nonexistent/memory.max']), null);
  });

  it('warns, saying what to do, when the peak is near the container limit; informs otherwise', () => {
    const lines: Array<{severity: Severity; message: string; fields?: LogFields}> = [];
    const logger = {
      log: (severity: Severity, message: string, fields?: LogFields) =>
        lines.push({severity, message, fields}),
    };
    const roomy = memoryReport(64 * 2 ** 30);
    assert.equal(roomy.nearLimit, false);
    assert.ok(roomy.peakRssMiB >= roomy.rssMiB - 1 && roomy.peakRssMiB > 0);
    logMemory(logger, roomy);
    const tight = memoryReport(roomy.peakRssMiB * 2 ** 20);
    assert.equal(tight.nearLimit, true);
    logMemory(logger, tight);
    assert.deepEqual(
      lines.map(l => l.severity),
      ['INFO', 'WARNING'],
    );
    // The figures are in the words: the CLI's INFO lines show no fields.
    assert.equal(
      lines[0]?.message,
      `pass memory: peak ${roomy.peakRssMiB} MiB of ${64 * 1024} MiB, heap ${roomy.heapUsedMiB} of ${roomy.heapLimitMiB} MiB`,
    );
    assert.match(lines[1]?.message ?? '', /close to the limit.*infra\/deploy\.sh/);
    assert.equal(lines[1]?.fields?.memoryLimitMiB, roomy.peakRssMiB);
  });
});
