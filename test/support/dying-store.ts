/**
 * The store as a pass sees it when its process dies at a given moment (`dead()` turns true,
 * e.g. once Slack took a certain message): from then on every write fails as an unreachable
 * store would, reads still answer. The tests of "a pass dies after Slack took it, the next
 * pass looks for it and posts nothing twice" wrap the real store with it.
 */
import {StoreError} from '../../functions/core/errors.js';
import type {IncidentStore} from '../../functions/ports.js';

export function dyingStore(store: IncidentStore, dead: () => boolean): IncidentStore {
  const died = () => new StoreError('UNAVAILABLE', 'the process died (simulated)');
  return {
    loadCluster: (...args) => store.loadCluster(...args),
    baseline: (...args) => store.baseline(...args),
    update: (...args) => (dead() ? Promise.reject(died()) : store.update(...args)),
    updateMany: async (clusterId, changes, usage, deadline) =>
      dead()
        ? changes.map(() => ({ok: false as const, error: died()}))
        : store.updateMany(clusterId, changes, usage, deadline),
    finishCluster: (...args) => store.finishCluster(...args),
    flush: (...args) => (dead() ? Promise.reject(died()) : store.flush(...args)),
    recentRecords: (...args) => store.recentRecords(...args),
    createDigest: (...args) => store.createDigest(...args),
    updateDigest: (...args) => store.updateDigest(...args),
    readDigest: (...args) => store.readDigest(...args),
  };
}
