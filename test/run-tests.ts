/**
 * Runs every test with `node --test`, after starting one Cloud Firestore emulator that all
 * test files share (each test uses its own project ID, so they never see each other's data).
 * Used by `npm test`; extra arguments are passed to `node --test` (e.g. a file pattern).
 */
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import {startFirestoreEmulator} from './support/firestore-emulator.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const patterns = args.length > 0 ? args : [path.join(here, '**', '*.test.js')];
  console.log(`node ${process.version} — starting the Cloud Firestore emulator…`);
  const emulator = await startFirestoreEmulator();
  console.log(`Firestore emulator on ${emulator.host}`);
  try {
    return await new Promise<number>(resolve => {
      const child = spawn(
        process.execPath,
        ['--test', '--test-concurrency=4', '--test-timeout=120000', ...patterns],
        {
          stdio: 'inherit',
          env: {
            ...process.env,
            FIRESTORE_EMULATOR_HOST: emulator.host,
            // No Google metadata server here: don't let google-auth-library probe for one.
            METADATA_SERVER_DETECTION: 'none',
          },
        },
      );
      child.once('exit', code => resolve(code ?? 1));
    });
  } finally {
    await emulator.stop();
  }
}

main().then(
  code => process.exit(code),
  error => {
    console.error(error);
    process.exit(1);
  },
);
