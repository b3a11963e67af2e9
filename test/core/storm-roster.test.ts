/**
 * The storm's roster (issue 22 §1): when the parent's list stops at "and N more", the thread
 * starts with every member listed, a few hundred a message, right after the parent. Tables of
 * who needs one, how the pages cut, that every member is on exactly one page, that each page
 * fits Slack's limits, and that posting the parent queues the pages. Expected values are
 * counted here from the members, not by the code under test.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {StormMember, StormState, SubjectRecord} from '../../functions/core/incident.js';
import {RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';
import {renderSlack} from '../../functions/core/messages/render-slack.js';
import {buildStormMessages} from '../../functions/core/storms/messages.js';
import {
  needsRoster,
  rosterMessage,
  rosterPageCount,
  rosterSends,
} from '../../functions/core/storms/roster.js';
import {markStormSent} from '../../functions/core/storms/storm.js';

const ID = '2026-03-02T01:30:00.000Z#';
const NOW = new Date('2026-03-02T01:31:00.000Z');

function members(n: number, nameOf = (i: number) => `job-${String(i).padStart(4, '0')}`) {
  return Array.from({length: n}, (_, i): StormMember => ({
    key: `ns-${i % 3}/${nameOf(i)}`,
    incidentId: `uid-${i}/run-1`,
    kind: 'failing',
    namespace: `ns-${i % 3}`,
    name: nameOf(i),
    reason: 'ErrImagePull',
    recoveredAt: null,
  }));
}

function storm(list: StormMember[], language: 'en' | 'ja' = 'en'): StormState {
  return {
    id: ID,
    clusterName: 'prod',
    destination: {channel: null, language, mention: null, runbook: null},
    openedAt: '2026-03-02T01:06:00.000Z',
    members: list,
    parent: null,
    shown: null,
    finishedAt: null,
    send: {
      id: `${ID}/opened`,
      kind: 'opened',
      createdAt: '2026-03-02T01:30:00.000Z',
      attempts: 0,
      lastError: null,
      claim: {by: 'pass-1', until: '2026-03-02T01:40:00.000Z'},
    },
  };
}

/** The names listed on every page, in order, read back from the rendered Slack blocks. */
function listedNames(state: StormState): string[] {
  const names: string[] = [];
  for (let page = 1; page <= rosterPageCount(state); page++) {
    const message = rosterMessage(state, page);
    assert.ok(message !== null, `page ${page} exists`);
    for (const block of renderSlack(message).blocks.slice(1)) {
      const text = (block as {text?: {text: string}}).text?.text ?? '';
      for (const match of text.matchAll(/`([^`]+)`/g)) names.push(match[1] ?? '');
    }
  }
  return names;
}

describe('who needs a roster', () => {
  const cases: Array<[string, StormMember[], boolean]> = [
    ['5 members: the parent lists them all', members(5), false],
    ['25 short names: still all on the parent', members(25), false],
    ['26: the parent stops at 25', members(26), true],
    // 20 names of 52 characters (the longest a CronJob's name may be) in 63-character
    // namespaces: about 2,700 characters, more than the parent's list holds.
    [
      '20 of the longest names',
      members(20, i => `${'n'.repeat(48)}${String(i).padStart(4, '0')}`).map(m => ({
        ...m,
        namespace: `${'s'.repeat(62)}${m.namespace.slice(-1)}`,
      })),
      true,
    ],
  ];
  for (const [name, list, expected] of cases) {
    it(name, () => {
      assert.equal(needsRoster(storm(list)), expected);
      assert.equal(rosterPageCount(storm(list)) > 0, expected);
    });
  }
});

describe('the pages', () => {
  for (const n of [26, 1000, 5000]) {
    it(`${n} members: each listed exactly once, by namespace then name, within Slack's limits`, () => {
      const list = members(n);
      const state = storm(list);
      const expected = [...list]
        .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
        .map(m => m.name);
      assert.deepEqual(listedNames(state), expected);
      for (let page = 1; page <= rosterPageCount(state); page++) {
        const slack = renderSlack(rosterMessage(state, page)!);
        assert.ok(slack.blocks.length <= 50, `page ${page}: ${slack.blocks.length} blocks`);
        for (const block of slack.blocks) {
          const text = (block as {text?: {text: string}}).text?.text ?? '';
          assert.ok(text.length <= 3000, `page ${page}: a section of ${text.length}`);
        }
        assert.ok(!JSON.stringify(slack).includes('<!'), 'a roster mentions nobody');
      }
      assert.equal(rosterMessage(state, rosterPageCount(state) + 1), null);
      assert.equal(rosterMessage(state, 0), null);
    });
  }

  it('the lead says which members a page holds, of how many', () => {
    const state = storm(members(1000));
    const pages = rosterPageCount(state);
    assert.ok(pages >= 2, `${pages} pages`);
    const leads = Array.from(
      {length: pages},
      (_, i) => renderSlack(rosterMessage(state, i + 1)!).text,
    );
    assert.match(
      leads[0] ?? '',
      new RegExp(`^CronJobs of this storm, 1–\\d+ of 1000 \\(1/${pages}\\):$`),
    );
    assert.match(
      leads.at(-1) ?? '',
      new RegExp(`^CronJobs of this storm, \\d+–1000 of 1000 \\(${pages}/${pages}\\):$`),
    );
    const ja = renderSlack(rosterMessage(storm(members(40), 'ja'), 1)!).text;
    assert.equal(ja, 'この障害の CronJob（40 件中 1〜40 件目）:');
  });
});

describe('posting the parent queues the roster', () => {
  const record = (state: StormState): SubjectRecord => ({
    schemaVersion: RECORD_SCHEMA_VERSION,
    clusterId: 'kubeconfig/prod',
    subject: {type: 'storm', id: ID},
    watermark: null,
    open: {},
    outbox: [],
    threads: [],
    history: [],
    readFailures: null,
    runs: [],
    updatedAt: '2026-03-02T01:30:00.000Z',
    storm: state,
  });
  const parent = {channel: 'C0ALERTS01', ts: '1772415000.000100'};

  it('a cut list: every page owed, in order, the first one now', () => {
    const state = storm(members(1000));
    const pages = rosterPageCount(state);
    const sent = markStormSent(record(state), `${ID}/opened`, parent, 0, NOW)?.storm;
    const owed = [sent?.send, ...(sent?.queued ?? [])].map(s => s?.id);
    assert.deepEqual(
      owed,
      Array.from({length: pages}, (_, i) => `${ID}/roster-${i + 1}`),
    );
    assert.deepEqual(
      rosterSends(state, NOW).map(s => s.page),
      Array.from({length: pages}, (_, i) => i + 1),
    );
  });

  it('a list that fits: nothing more owed', () => {
    const sent = markStormSent(record(storm(members(12))), `${ID}/opened`, parent, 0, NOW)?.storm;
    assert.equal(sent?.send, null);
    assert.equal(sent?.queued, undefined);
  });

  it('a roster page goes in the thread as a reply, the parent untouched', () => {
    const state = storm(members(100));
    const messages = buildStormMessages(rosterSends(state, NOW)[0]!, state, null);
    assert.equal(messages.kind, 'reply');
  });
});
