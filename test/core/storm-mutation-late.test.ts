/**
 * The last killable survivors of the storms group (issue 27, storms, session 7; see
 * test/mutation/storms.md): the Japanese words for the duration kinds in the parent's Kinds
 * field, and a roster page number below 1. Expected values written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {IncidentKind, StormMember, StormState} from '../../functions/core/incident.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import {buildStormMessage} from '../../functions/core/storms/messages.js';
import {rosterMessage} from '../../functions/core/storms/roster.js';

function member(namespace: string, name: string, kind: IncidentKind = 'failing'): StormMember {
  return {
    key: `${namespace}/${name}`,
    incidentId: `uid-${name}/${name}-1`,
    kind,
    namespace,
    name,
    reason: null,
    recoveredAt: null,
  };
}

function storm(members: StormMember[], language: 'en' | 'ja'): StormState {
  return {
    id: '2026-03-02T01:30:00.000Z#',
    clusterName: 'prod',
    destination: {channel: null, language, mention: null, runbook: null},
    openedAt: '2026-03-02T01:06:00.000Z',
    members,
    parent: null,
    shown: null,
    finishedAt: null,
    send: null,
  };
}

describe('the Kinds field in Japanese', () => {
  it('the duration kinds, counted (「短すぎる実行」, 「通常より遅い実行」)', () => {
    const message = buildStormMessage(
      storm(
        [
          member('batch', 'a', 'finished-too-fast'),
          member('batch', 'b', 'finished-too-fast'),
          member('batch', 'c', 'slower-than-usual'),
        ],
        'ja',
      ),
    );
    assert.deepEqual(
      message.fields.map(f => [f.label, plainOf(f.value)]),
      [
        ['クラスタ', 'prod'],
        ['Namespace', 'batch（3）'],
        ['種類', '短すぎる実行（2）、通常より遅い実行（1）'],
      ],
    );
  });
});

describe('roster pages are counted from 1', () => {
  it('page -1 of a two-page roster: none', () => {
    // Eleven namespaces: eleven sections, ten a page.
    const members = Array.from({length: 11}, (_, i) =>
      member(`ns-${String(i).padStart(2, '0')}`, 'a'),
    );
    assert.notEqual(rosterMessage(storm(members, 'en'), 1), null);
    assert.equal(rosterMessage(storm(members, 'en'), -1), null);
  });
});
