/**
 * Certificates for HTTPS tests, made with the `openssl` CLI in a temp dir: a CA, a server
 * certificate it signs for `127.0.0.1` (IP SAN) and `localhost`, and a second, unrelated CA
 * for "the client trusts the wrong CA" tests.
 */
import {execFile} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);

/** PEM texts and the files holding them. */
export interface TestCa {
  dir: string;
  caCertPem: string;
  caCertFile: string;
  serverCertPem: string;
  serverKeyPem: string;
  serverCertFile: string;
  serverKeyFile: string;
  /** A CA that signed nothing the server presents. */
  otherCaCertPem: string;
  otherCaCertFile: string;
  /** Deletes the temp dir. */
  cleanup(): Promise<void>;
}

// Two days: long enough for any test run, short enough that a leaked key is worthless.
const VALIDITY_DAYS = 2;
// P-256 keys: generated in milliseconds, unlike RSA, and accepted by Node, Go (kubectl) and openssl.
const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, {cwd});
  } catch (error) {
    const stderr = (error as {stderr?: string}).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`, {cause: error});
  }
}

async function makeCa(dir: string, name: string, commonName: string): Promise<void> {
  await openssl(dir, [
    'req',
    '-x509',
    ...KEY_ARGS,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    String(VALIDITY_DAYS),
    '-subj',
    `/O=cronjob-watcher tests/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

/** Creates the CA, the server certificate and the unrelated CA. */
export async function createTestCa(): Promise<TestCa> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'test-ca-'));
  await makeCa(dir, 'ca', 'test cluster CA');
  await makeCa(dir, 'other-ca', 'unrelated CA');
  await openssl(dir, [
    'req',
    ...KEY_ARGS,
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/O=cronjob-watcher tests/CN=kube-apiserver',
  ]);
  await writeFile(
    path.join(dir, 'server.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  );
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    String(VALIDITY_DAYS),
    '-extfile',
    'server.ext',
  ]);
  const file = (name: string) => path.join(dir, name);
  const text = (name: string) => readFile(file(name), 'utf8');
  return {
    dir,
    caCertPem: await text('ca.crt'),
    caCertFile: file('ca.crt'),
    serverCertPem: await text('server.crt'),
    serverKeyPem: await text('server.key'),
    serverCertFile: file('server.crt'),
    serverKeyFile: file('server.key'),
    otherCaCertPem: await text('other-ca.crt'),
    otherCaCertFile: file('other-ca.crt'),
    cleanup: () => rm(dir, {recursive: true, force: true}),
  };
}
