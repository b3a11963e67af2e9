/**
 * The storm parent's counted fields at their budget (issue 27, storms, session 7): a field's
 * value (cluster, namespaces, kinds, reasons) is at most STORM_FIELD_MAX_CHARS (300) characters
 * as Slack counts them (`&` as `&amp;`, `<` and `>` as `&lt;`, `&gt;`): the items joined while
 * they all fit, else as many as fit with "and N more" after them. Each row's lengths are
 * worked out here; the expected values are written from that rule, not from the code.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {StormMember, StormState} from '../../functions/core/incident.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import {buildStormMessage} from '../../functions/core/storms/messages.js';

function storm(namespaces: string[], clusterName = 'prod'): StormState {
  const members: StormMember[] = namespaces.map(namespace => ({
    key: `${namespace}/job`,
    incidentId: `uid-${namespace}/job-1`,
    kind: 'failing',
    namespace,
    name: 'job',
    reason: null,
    recoveredAt: null,
  }));
  return {
    id: '2026-03-02T01:30:00.000Z#',
    clusterName,
    destination: {channel: null, language: 'en', mention: null, runbook: null},
    openedAt: '2026-03-02T01:06:00.000Z',
    members,
    parent: null,
    shown: null,
    finishedAt: null,
    send: null,
  };
}

const field = (state: StormState, label: string) =>
  plainOf(buildStormMessage(state).fields.find(f => f.label === label)?.value ?? []);

/**
 * Namespace `ns-<letter i>` padded to `length` characters (so they sort as numbered); its item
 * is `<namespace> (1)`.
 */
const ns = (i: number, length: number) =>
  `ns-${String.fromCharCode(97 + i)}${'x'.repeat(length - 4)}`;
const items = (names: string[]) => names.map(n => `${n} (1)`);

describe('the namespaces field at 300 characters', () => {
  it('ten items of exactly 300 characters in all: every one shown', () => {
    // Nine items of 28 characters and one of 30, with nine ", ": 252 + 30 + 18 = 300.
    const names = [...Array.from({length: 9}, (_, i) => ns(i, 24)), ns(9, 26)];
    const expected = items(names).join(', ');
    assert.equal(expected.length, 300);
    assert.equal(field(storm(names), 'Namespaces'), expected);
  });
  it('one character more: nine shown, then "and 1 more"', () => {
    const names = [...Array.from({length: 9}, (_, i) => ns(i, 24)), ns(9, 27)];
    assert.equal(
      field(storm(names), 'Namespaces'),
      `${items(names.slice(0, 9)).join(', ')}, and 1 more`,
    );
  });
  it('the "and N more" counts: the items that fit only without it are left out', () => {
    // Eleven items of 28 do not all fit (308 + 20). Ten with ", and 1 more" would take
    // 280 + 18 + 12 = 310; nine with ", and 2 more" take 252 + 16 + 12 = 280.
    const names = Array.from({length: 11}, (_, i) => ns(i, 24));
    assert.equal(
      field(storm(names), 'Namespaces'),
      `${items(names.slice(0, 9)).join(', ')}, and 2 more`,
    );
  });
  it('cut at exactly 300 characters with its "and N more"', () => {
    // Eight items of 30 and one of 32 with ", and 2 more": 272 + 16 + 12 = 300. Two more items
    // (the whole does not fit): nine are shown.
    const names = [
      ...Array.from({length: 8}, (_, i) => ns(i, 26)),
      ns(8, 28),
      ns(9, 26),
      ns(10, 26),
    ];
    const expected = `${items(names.slice(0, 9)).join(', ')}, and 2 more`;
    assert.equal(expected.length, 300);
    assert.equal(field(storm(names), 'Namespaces'), expected);
  });
  it('a list that fits whole is shown whole, even when its last item is shorter than "and 1 more"', () => {
    // 34 + 8 × 30 + "zz (1)" (6) with nine ", ": 298 characters. Cutting before the last two
    // ("…, and 2 more") would hide two namespaces that fit.
    const names = [ns(0, 30), ...Array.from({length: 8}, (_, i) => ns(i + 1, 26)), 'zz'];
    const expected = items(names).join(', ');
    assert.equal(expected.length, 298);
    assert.equal(field(storm(names), 'Namespaces'), expected);
  });
});

describe('the cluster field, counted as Slack escapes it', () => {
  const name = (length: number) => `R&D-${'c'.repeat(length - 4)}`;
  it('296 characters with one "&" (300 escaped): shown', () => {
    assert.equal(field(storm(['batch'], name(296)), 'Cluster'), name(296));
  });
  it('297 characters with one "&" (301 escaped): "and 1 more"', () => {
    assert.equal(field(storm(['batch'], name(297)), 'Cluster'), 'and 1 more');
  });
});
