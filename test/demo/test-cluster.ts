/**
 * `npm run test-cluster`: the Kubernetes API test server with every fixture of
 * test/fixtures/kubernetes, running until Ctrl-C, and a kubeconfig pointing at it — so
 * `cronjob-watcher status` / `check` (and kubectl) can be tried without a cluster.
 */
import path from 'node:path';
import {startKubeApiServer} from '../support/kube-api-server.js';
import {loadFixtureObjects} from '../support/kube-fixtures.js';

async function main(): Promise<void> {
  const server = await startKubeApiServer({objects: loadFixtureObjects()});
  const file = path.resolve('.cronjob-watcher', 'test-cluster.kubeconfig');
  await server.writeKubeconfig({context: 'test-cluster', file});
  console.log(
    `Kubernetes API test server at ${server.url} with the fixtures of test/fixtures/kubernetes.`,
  );
  console.log(`In another terminal:\n`);
  console.log(`  npx cronjob-watcher status --kubeconfig ${path.relative(process.cwd(), file)}`);
  console.log(
    `  npx cronjob-watcher check --kubeconfig ${path.relative(process.cwd(), file)} --dry-run\n`,
  );
  console.log('Ctrl-C stops it.');
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
