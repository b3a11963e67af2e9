/**
 * `npm run test-cluster`: the Kubernetes API test server with every fixture of
 * test/fixtures/kubernetes, running until Ctrl-C (SIGINT) or SIGTERM, and a kubeconfig
 * pointing at it — so `cronjob-watcher status` / `check` (and kubectl) can be tried without a
 * cluster. The kubeconfig goes to `.cronjob-watcher/test-cluster.kubeconfig` in the current
 * directory (created when missing, as on a fresh clone). The fixtures' timestamps are moved
 * forward to now (shift-fixtures.ts), since the CLI runs on the real clock.
 */
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {loadFixtureObjects} from '../support/kube-fixtures.js';
import {FIXTURES_NOW, shiftFixtures, shiftFor} from './shift-fixtures.js';

async function main(): Promise<void> {
  let server: KubeApiServer | null = null;
  const stop = (code: number) => {
    // A second Ctrl-C while closing ends at once.
    process.once('SIGINT', () => process.exit(130));
    void (server?.close() ?? Promise.resolve()).finally(() => process.exit(code));
  };
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  try {
    const shiftMs = shiftFor(new Date());
    server = await startKubeApiServer({objects: shiftFixtures(loadFixtureObjects(), shiftMs)});
    const file = path.resolve('.cronjob-watcher', 'test-cluster.kubeconfig');
    await mkdir(path.dirname(file), {recursive: true});
    await server.writeKubeconfig({context: 'test-cluster', file});
    const relative = path.relative(process.cwd(), file);
    console.log(
      `Kubernetes API test server at ${server.url} with the fixtures of test/fixtures/kubernetes, ` +
        `moved forward ${Math.round(shiftMs / 86_400_000)} day(s) so that their "now" ` +
        `(${FIXTURES_NOW.toISOString()}) is now (${new Date(FIXTURES_NOW.getTime() + shiftMs).toISOString()}).`,
    );
    console.log(`In another terminal:\n`);
    console.log(`  npx cronjob-watcher status --kubeconfig ${relative}`);
    console.log(`  npx cronjob-watcher check --kubeconfig ${relative} --dry-run\n`);
    console.log('Ctrl-C stops it.');
  } catch (error) {
    // Without this the listening server would keep the process alive after the error.
    console.error(`test-cluster: ${error instanceof Error ? error.message : String(error)}`);
    stop(1);
  }
}

void main();
