/**
 * What our controls carry (core/actions/ids.ts): action IDs (ours start with
 * `cronjob-watcher:`; Slack sends back the `action_id` we set), the snooze menu's values, and
 * the incident reference in a button's `value` (Slack keeps at most 2,000 characters there).
 * A value that is not exactly our reference — another app's, an older shape, a field missing,
 * empty or of the wrong type — names no incident. Written for issue 27; every expected value is
 * written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  actionIdOf,
  controlOf,
  decodeIncidentRef,
  encodeIncidentRef,
  snoozeChoiceOf,
  SNOOZE_CHOICES,
} from '../../functions/core/actions/ids.js';

describe('action IDs', () => {
  it('ours, by control', () => {
    assert.equal(actionIdOf('acknowledge'), 'cronjob-watcher:acknowledge');
    assert.equal(actionIdOf('unacknowledge'), 'cronjob-watcher:unacknowledge');
    assert.equal(actionIdOf('snooze'), 'cronjob-watcher:snooze');
  });

  const read: Array<[string, string | null]> = [
    ['cronjob-watcher:acknowledge', 'acknowledge'],
    ['cronjob-watcher:unacknowledge', 'unacknowledge'],
    ['cronjob-watcher:snooze', 'snooze'],
    // Another app's controls, even with our names after a prefix of the same length.
    ['other-app-00001:acknowledge', null],
    ['acknowledge', null],
    ['cronjob-watcher:', null],
    ['cronjob-watcher:logs', null],
    ['cronjob-watcher:acknowledge ', null],
    ['Cronjob-watcher:snooze', null],
    ['', null],
  ];
  for (const [id, control] of read) {
    it(`${JSON.stringify(id)} is ${control ?? 'not ours'}`, () => {
      assert.equal(controlOf(id), control);
    });
  }
});

describe('snooze choices', () => {
  it('an hour, four hours, a day, until it recovers', () => {
    assert.deepEqual(SNOOZE_CHOICES, {
      '1h': 60 * 60 * 1000,
      '4h': 4 * 60 * 60 * 1000,
      '1d': 24 * 60 * 60 * 1000,
      recovery: null,
    });
  });

  const values: Array<[string, string | null]> = [
    ['1h', '1h'],
    ['4h', '4h'],
    ['1d', '1d'],
    ['recovery', 'recovery'],
    ['end', null],
    ['2h', null],
    ['1H', null],
    ['', null],
    // Names every object has, which are no choice of ours.
    ['toString', null],
    ['constructor', null],
    ['__proto__', null],
  ];
  for (const [value, choice] of values) {
    it(`menu value ${JSON.stringify(value)}: ${choice ?? 'none'}`, () => {
      assert.equal(snoozeChoiceOf(value), choice);
    });
  }
});

const CLUSTER = {id: 'kubeconfig/prod', name: 'prod', project: null, location: null};
const GKE = {
  id: 'projects/acme/locations/europe-west1/clusters/prod-eu',
  name: 'prod-eu',
  project: 'acme',
  location: 'europe-west1',
};

describe('the incident reference in a button value', () => {
  it('written as a small versioned JSON object, read back as it was', () => {
    const ref = {cluster: GKE, key: 'batch/backup', kind: 'failing', id: 'uid/job-1'};
    const value =
      '{"v":1,"c":{"id":"projects/acme/locations/europe-west1/clusters/prod-eu","name":"prod-eu",' +
      '"project":"acme","location":"europe-west1"},"k":"batch/backup","n":"failing","i":"uid/job-1"}';
    assert.equal(encodeIncidentRef(ref), value);
    assert.deepEqual(decodeIncidentRef(value), ref);
  });

  it('only the cluster’s four fields are written', () => {
    const cluster = {...CLUSTER, extra: 'not written'} as typeof CLUSTER;
    assert.equal(
      encodeIncidentRef({cluster, key: '/', kind: 'cluster-unreadable', id: 'c@1'}),
      '{"v":1,"c":{"id":"kubeconfig/prod","name":"prod","project":null,"location":null},' +
        '"k":"/","n":"cluster-unreadable","i":"c@1"}',
    );
  });

  it('up to exactly 2,000 characters; one more and no value', () => {
    const ref = (name: string) => ({
      cluster: {...CLUSTER, name},
      key: 'batch/backup',
      kind: 'failing',
      id: 'uid/job-1',
    });
    // 126 characters around the name.
    const at = (n: number) =>
      `{"v":1,"c":{"id":"kubeconfig/prod","name":"${'x'.repeat(n)}","project":null,"location":null},` +
      '"k":"batch/backup","n":"failing","i":"uid/job-1"}';
    assert.equal(at(1874).length, 2000);
    assert.equal(encodeIncidentRef(ref('x'.repeat(1874))), at(1874));
    assert.equal(encodeIncidentRef(ref('x'.repeat(1875))), null);
  });

  const good = {
    v: 1,
    c: {id: 'kubeconfig/prod', name: 'prod', project: null, location: null},
    k: 'batch/backup',
    n: 'failing',
    i: 'uid/job-1',
  };
  const decoded = {
    cluster: {id: 'kubeconfig/prod', name: 'prod', project: null, location: null},
    key: 'batch/backup',
    kind: 'failing',
    id: 'uid/job-1',
  };
  const cluster = (over: Record<string, unknown>) => ({...good, c: {...good.c, ...over}});
  const without = (field: string) =>
    Object.fromEntries(Object.entries(good).filter(([k]) => k !== field));
  const clusterWithout = (field: string) => ({
    ...good,
    c: Object.fromEntries(Object.entries(good.c).filter(([k]) => k !== field)),
  });

  const refused: Array<[string, string]> = [
    ['not JSON', 'incident-42'],
    ['empty', ''],
    ['a JSON number', '1'],
    ['a JSON string', '"batch/backup"'],
    ['JSON null', 'null'],
    ['a JSON array', JSON.stringify([good])],
    ['version 2', JSON.stringify({...good, v: 2})],
    ['version "1" (a string)', JSON.stringify({...good, v: '1'})],
    ['no version', JSON.stringify(without('v'))],
    ['no cluster', JSON.stringify(without('c'))],
    ['cluster null', JSON.stringify({...good, c: null})],
    ['cluster a string', JSON.stringify({...good, c: 'kubeconfig/prod'})],
    ['cluster id empty', JSON.stringify(cluster({id: ''}))],
    ['cluster id a number', JSON.stringify(cluster({id: 7}))],
    ['cluster id missing', JSON.stringify(clusterWithout('id'))],
    ['cluster name empty', JSON.stringify(cluster({name: ''}))],
    ['cluster name null', JSON.stringify(cluster({name: null}))],
    ['cluster project missing', JSON.stringify(clusterWithout('project'))],
    ['cluster project a number', JSON.stringify(cluster({project: 7}))],
    ['cluster location missing', JSON.stringify(clusterWithout('location'))],
    ['cluster location false', JSON.stringify(cluster({location: false}))],
    ['key empty', JSON.stringify({...good, k: ''})],
    ['key missing', JSON.stringify(without('k'))],
    ['kind empty', JSON.stringify({...good, n: ''})],
    ['kind a number', JSON.stringify({...good, n: 1})],
    ['id empty', JSON.stringify({...good, i: ''})],
    ['id null', JSON.stringify({...good, i: null})],
  ];
  for (const [name, value] of refused) {
    it(`refused: ${name}`, () => {
      assert.equal(decodeIncidentRef(value), null);
    });
  }

  const read: Array<[string, unknown, object]> = [
    ['the reference as written', good, decoded],
    [
      'project and location as text (GKE)',
      cluster({project: 'acme', location: 'europe-west1'}),
      {...decoded, cluster: {...decoded.cluster, project: 'acme', location: 'europe-west1'}},
    ],
    // Empty project and location are strings: kept as they are.
    [
      'project and location empty',
      cluster({project: '', location: ''}),
      {...decoded, cluster: {...decoded.cluster, project: '', location: ''}},
    ],
    // Fields it does not know are left out, not carried along.
    ['with more fields', {...good, x: 1, c: {...good.c, y: 2}}, decoded],
  ];
  for (const [name, value, expected] of read) {
    it(`read: ${name}`, () => {
      assert.deepEqual(decodeIncidentRef(JSON.stringify(value)), expected);
    });
  }
});
