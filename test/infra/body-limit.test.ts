/**
 * The function refuses request bodies larger than MAX_BODY_BYTES before functions-framework
 * parses them: served by the real framework (as `npm start` and Cloud Run run it) with a
 * small heap, where a 24 MB JSON body parsed whole runs out of memory.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import {bodyProblem, MAX_BODY_BYTES} from '../../functions/body-limit.js';
import {freePort} from '../support/free-port.js';
import type {KubeApiServer} from '../support/kube-api-server.js';
import {fixtureServer, TOKEN} from '../kubernetes/helpers.js';
import {cliEnv, REPO_ROOT, tempDir} from '../cli/helpers.js';

// A safety net, not a wait: functions-framework starts in a second or two.
const START_TIMEOUT_MS = 60_000;
// Small enough that parsing the big body below whole exhausts it.
const HEAP_MIB = 96;

describe('bodyProblem', () => {
  it('no body, or a small one: read; larger, unknown length or nonsense: refused', () => {
    assert.equal(bodyProblem({}), null);
    assert.equal(bodyProblem({'content-length': '0'}), null);
    assert.equal(bodyProblem({'content-length': String(MAX_BODY_BYTES)}), null);
    assert.match(bodyProblem({'content-length': String(MAX_BODY_BYTES + 1)}) ?? '', /larger/);
    assert.match(bodyProblem({'content-length': 'lots'}) ?? '', /larger/);
    assert.match(bodyProblem({'transfer-encoding': 'chunked'}) ?? '', /chunked/);
  });
});

describe('the function behind functions-framework, with a large body', () => {
  let kube: KubeApiServer;
  let child: ChildProcess;
  let port = 0;
  let output = '';

  before(async () => {
    kube = await fixtureServer();
    const kubeconfig = await kube.writeKubeconfig({context: 'fixture', token: TOKEN});
    port = await freePort();
    child = spawn(
      path.join(REPO_ROOT, 'node_modules', '.bin', 'functions-framework'),
      [
        '--source=build/functions/index.js',
        '--target=watchCronJobs',
        `--port=${port}`,
        '--host=127.0.0.1',
      ],
      {
        cwd: REPO_ROOT,
        env: cliEnv({
          KUBECONFIG: kubeconfig,
          STATE_DIR: await tempDir('body-limit'),
          NODE_OPTIONS: `--max-old-space-size=${HEAP_MIB}`,
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`did not start:\n${output}`)),
        START_TIMEOUT_MS,
      );
      child.stdout?.on('data', () => {
        if (output.includes('Serving function...')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', code => {
        clearTimeout(timer);
        reject(new Error(`exited ${String(code)}:\n${output}`));
      });
    });
  });

  after(async () => {
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await kube.close();
  });

  /**
   * POSTs only these headers, keeping the body back: resolves to the status of the answer. A
   * server that waited for the body would never answer (the test times out).
   */
  function announce(headers: http.OutgoingHttpHeaders): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {host: '127.0.0.1', port, path: '/', method: 'POST', headers},
        response => {
          response.resume();
          resolve(response.statusCode ?? 0);
          request.destroy();
        },
      );
      request.on('error', reject);
      request.flushHeaders();
    });
  }

  /**
   * POSTs this body with these headers: the status of the answer, or `reset` when the
   * connection was reset before an answer could be read. A server that closes its socket with
   * unread body bytes makes its kernel send a reset, which can discard an answer still queued
   * to go out (RFC 9112 §9.6); whether it does depends on timing, so `announce` checks the
   * answer and this checks that a body really sent is never parsed.
   */
  function post(headers: http.OutgoingHttpHeaders, body: Buffer): Promise<number | 'reset'> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {host: '127.0.0.1', port, path: '/', method: 'POST', headers},
        response => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (output.includes('heap out of memory')) reject(error);
        else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve('reset');
        else reject(error);
      });
      request.end(body);
    });
  }

  it('a 24 MB JSON body: 413 before it is parsed; the function lives on and runs a pass', async () => {
    const big = Buffer.from(`{"a":[${Array(3_000_000).fill('{"k":1}').join(',')}]}`);
    assert.ok(big.length > 20 * 2 ** 20);
    const json = {'content-type': 'application/json', 'content-length': big.length};
    assert.equal(await announce(json), 413, output);
    assert.equal(await announce({...json, 'content-length': MAX_BODY_BYTES + 1}), 413, output);
    assert.equal(
      await announce({'content-type': 'application/json', 'transfer-encoding': 'chunked'}),
      413,
      output,
    );
    // The whole body, sent: refused (or cut off) unread, and nothing runs out of memory.
    assert.ok([413, 'reset'].includes(await post(json, big)), output);
    assert.equal(child.exitCode, null, `the function exited:\n${output}`);
    assert.doesNotMatch(output, /heap out of memory/);
    // What Cloud Scheduler sends: no body.
    const response = await fetch(`http://127.0.0.1:${port}/`, {method: 'POST'});
    assert.equal(response.status, 200, output);
    const summary = (await response.json()) as {complete: boolean};
    assert.equal(summary.complete, true);
  });
});
