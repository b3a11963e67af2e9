import {spawn, type ChildProcess} from 'node:child_process';
import {freePort} from './free-port.js';

/** A running Cloud Firestore emulator. */
export interface FirestoreEmulator {
  /** `127.0.0.1:PORT`, the value for FIRESTORE_EMULATOR_HOST. */
  host: string;
  stop(): Promise<void>;
}

// The emulator is a JVM: a cold start on a 2-core machine takes 5–20 s.
const EMULATOR_START_TIMEOUT_MS = 120_000;

/** Starts `gcloud emulators firestore start` on a free local port and waits until it serves. */
export async function startFirestoreEmulator(port?: number): Promise<FirestoreEmulator> {
  const chosen = port ?? (await freePort());
  const host = `127.0.0.1:${chosen}`;
  const child = spawn(
    'gcloud',
    ['emulators', 'firestore', 'start', `--host-port=${host}`, '--quiet'],
    {stdio: ['ignore', 'pipe', 'pipe'], detached: true},
  );
  await waitForReady(child, host);
  return {
    host,
    stop: () => stopProcessGroup(child),
  };
}

async function waitForReady(child: ChildProcess, host: string): Promise<void> {
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Firestore emulator did not start on ${host}:\n${output}`));
    }, EMULATOR_START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Dev App Server is now running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    // `spawn gcloud ENOENT` arrives as an 'error' event: unhandled, it would crash the runner.
    child.once('error', error => {
      clearTimeout(timer);
      reject(new Error(`could not run gcloud: ${error.message}`, {cause: error}));
    });
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`Firestore emulator exited (${code}) before serving:\n${output}`));
    });
  });
  // Keep draining so a chatty emulator never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  try {
    // gcloud starts java as a child: signal the whole group.
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  await exited;
}
