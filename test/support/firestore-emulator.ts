import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {connect} from 'node:net';
import {setTimeout as delay} from 'node:timers/promises';
import {freePort} from './free-port.js';

/** A running Cloud Firestore emulator. */
export interface FirestoreEmulator {
  /** `127.0.0.1:PORT`, the value for FIRESTORE_EMULATOR_HOST. */
  host: string;
  stop(): Promise<void>;
}

// The emulator is a JVM: a cold start on a 2-core machine takes 5–20 s.
const EMULATOR_START_TIMEOUT_MS = 120_000;
// A killed JVM is gone within milliseconds; a loaded machine may take seconds to schedule it.
const EMULATOR_STOP_TIMEOUT_MS = 30_000;
const STOP_POLL_MS = 20;

// A free port is free when it is picked, not when the JVM binds it: another test run on the
// machine can take it in between (the emulator then exits with a BindException).
const PORT_ATTEMPTS = 5;

/** The emulator could not bind its port: someone took it first. */
class PortTaken extends Error {}

/**
 * Starts `gcloud emulators firestore start` on a free local port and waits until it serves. A
 * port taken before the emulator could bind it is replaced by another; a `port` given by the
 * caller (a restart on the same address) is tried once.
 */
export async function startFirestoreEmulator(port?: number): Promise<FirestoreEmulator> {
  for (let attempt = 1; ; attempt++) {
    const chosen = port ?? (await freePort());
    try {
      return await startOn(`127.0.0.1:${chosen}`);
    } catch (error) {
      const lostThePort = error instanceof PortTaken;
      if (!lostThePort || port !== undefined || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOn(host: string): Promise<FirestoreEmulator> {
  // gcloud's own configuration directory, this emulator's: gcloud writes its logs, its
  // update-check state and the emulator's env.yaml there, and ~/.config/gcloud is shared with
  // every other test run (and gcloud use) on the machine.
  const config = await mkdtemp(path.join(os.tmpdir(), 'firestore-emulator-gcloud-'));
  // gcloud's cached answer to "is this a GCE VM?": without it, gcloud asks the metadata server.
  await writeFile(path.join(config, 'gce'), 'False');
  const child = spawn(
    'gcloud',
    ['emulators', 'firestore', 'start', `--host-port=${host}`, '--quiet'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: {...process.env, CLOUDSDK_CONFIG: config, CLOUDSDK_CORE_DISABLE_PROMPTS: '1'},
    },
  );
  const removeConfig = () => rm(config, {recursive: true, force: true});
  try {
    await waitForReady(child, host);
  } catch (error) {
    // The failed start is what to report; a failure to clean up after it would hide it.
    await stopProcessGroup(child, host).catch(() => undefined);
    await removeConfig();
    throw error;
  }
  return {
    host,
    stop: async () => {
      await stopProcessGroup(child, host);
      await removeConfig();
    },
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
      const message = `Firestore emulator exited (${code}) before serving:\n${output}`;
      reject(
        output.includes('Address already in use') ? new PortTaken(message) : new Error(message),
      );
    });
  });
  // Keep draining so a chatty emulator never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
}

/**
 * Stops the emulator: `gcloud` and the JVM it started. The `gcloud` wrapper exits on SIGTERM
 * before its JVM has finished shutting down, and until then the JVM still answers on the port
 * and on connections a client already holds: a test that stops the emulator and expects the
 * next call to fail would sometimes see it succeed. So what is left of the group is killed,
 * and `stop` resolves only once nothing accepts connections on the port any more (a killed
 * process closes its listener and its connections together).
 */
async function stopProcessGroup(child: ChildProcess, host: string): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const group = -child.pid;
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  try {
    // gcloud starts java as a child: signal the whole group.
    process.kill(group, 'SIGTERM');
  } catch {
    return;
  }
  await exited;
  try {
    process.kill(group, 'SIGKILL');
  } catch {
    // ESRCH: the JVM had already exited.
  }
  const deadline = performance.now() + EMULATOR_STOP_TIMEOUT_MS;
  while (await accepts(host)) {
    if (performance.now() > deadline) {
      throw new Error(`Firestore emulator on ${host} still accepts connections after stop`);
    }
    await delay(STOP_POLL_MS);
  }
}

/** True while something accepts TCP connections on `host` (`127.0.0.1:PORT`). */
function accepts(host: string): Promise<boolean> {
  const [address, port] = host.split(':');
  return new Promise(resolve => {
    const socket = connect(Number(port), address);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
