/**
 * What `@kubernetes/client-node`'s `KubeConfig` (dist/config.js) takes from its generated code,
 * and nothing else: `client-node-slim.ts` answers config.js's import of `./gen/index.js` with
 * this module. If a client-node release makes config.js import more from there, loading it fails
 * at once with "does not provide an export named …": add the name here.
 */
export {createConfiguration} from '@kubernetes/client-node/dist/gen/configuration.js';
export {ServerConfiguration} from '@kubernetes/client-node/dist/gen/servers.js';
