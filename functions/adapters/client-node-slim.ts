/**
 * Loads `@kubernetes/client-node` without its generated API classes and models (issue 14: cold
 * start, and the fixed cost of every CLI run). The watcher uses `KubeConfig` for configuration,
 * authentication and TLS, and its HTTP library; it sends its own requests and parses the answers
 * itself (kubernetes-cluster-reader.ts). But `KubeConfig`'s module imports two names from
 * `./gen/index.js`, which loads ~850 modules (every API group and model): measured on Node 24,
 * ~0.6 s of CPU and ~50 MiB of the ~1.1 s and ~130 MiB the package costs. So a module resolution
 * hook (`module.registerHooks`, in-thread and synchronous) answers that one import, from that one
 * file, with `client-node-gen.ts`, which exports just those two names from their own modules.
 *
 * The adapters import client-node's files by path (`@kubernetes/client-node/dist/config.js`),
 * never its index, which would load the generated code anyway. Without the hook (a Node without
 * `registerHooks`, or a test importing an adapter directly) everything still works, at the full
 * cost. Call `loadClientNodeSlim` before the first import of an adapter that uses client-node.
 */
import * as nodeModule from 'node:module';

const CONFIG_MODULE = '/@kubernetes/client-node/dist/config.js';
const GENERATED_INDEX = './gen/index.js';

let registered = false;

/** Registers the hook once per process; later calls do nothing. */
export function loadClientNodeSlim(): void {
  if (registered || typeof nodeModule.registerHooks !== 'function') return;
  registered = true;
  const replacement = new URL('./client-node-gen.js', import.meta.url).href;
  nodeModule.registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === GENERATED_INDEX && context.parentURL?.endsWith(CONFIG_MODULE)) {
        return {url: replacement, format: 'module', shortCircuit: true};
      }
      return nextResolve(specifier, context);
    },
  });
}
