/** The CLI's text log lines: fields on problems, none that carry no value. */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {JsonLogger, TextLogger} from '../../functions/logger.js';

describe('TextLogger', () => {
  it('a problem line keeps its fields and drops those without a value', () => {
    const lines: string[] = [];
    const logger = new TextLogger('INFO', line => lines.push(line));
    logger.log('ERROR', 'cannot read cluster prod', {
      cluster: 'prod',
      cronJob: null,
      code: 'UNREACHABLE',
      job: undefined,
      attempts: 3,
    });
    logger.log('INFO', 'reading cluster prod…', {cluster: 'prod'});
    assert.deepEqual(lines, [
      'ERROR: cannot read cluster prod (cluster=prod code=UNREACHABLE attempts=3)\n',
      'reading cluster prod…\n',
    ]);
  });

  it('the JSON log keeps every field, null included (a query may look for it)', () => {
    const lines: string[] = [];
    new JsonLogger(line => lines.push(line)).log('ERROR', 'x', {cronJob: null});
    assert.deepEqual(JSON.parse(lines[0]!), {severity: 'ERROR', message: 'x', cronJob: null});
  });
});
