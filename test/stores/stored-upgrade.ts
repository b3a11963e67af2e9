/**
 * An upgrade over stored state that an earlier release wrote (test/fixtures/stored-v*): both
 * stores are given that release's documents as they were, today's code runs the pass that
 * release ran next, and the Slack calls of both are returned for comparison.
 */
import {readFileSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {randomUUID} from 'node:crypto';
import {Firestore, Timestamp} from '@google-cloud/firestore';
import type {FileIncidentStore} from '../../functions/adapters/file-incident-store.js';
import type {PassDeps, PassSummary} from '../../functions/pass.js';
import {startSlackApiServer} from '../support/slack-api-server.js';
import {CHANNEL, CLUSTER_ID, pass, TOKEN, world} from '../support/world.js';

/** The Slack calls a release made on the pass after its stored state, as its generator wrote them. */
export interface RecordedCalls {
  postedBefore: Array<{channel: string; ts: string; thread_ts: string | null}>;
  calls: Array<Record<string, unknown>>;
}

/** A folder of test/fixtures in the source tree (this file is compiled to build/test/stores). */
export function storedFixtures(folder: string): <T>(file: string) => T {
  const dir = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../test/fixtures',
    folder,
  );
  return <T>(file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;
}

/**
 * Seeds a store of `kind` with the release's documents, shows the cluster of the next pass,
 * runs it at `at` and once more at `againAt`; the store's clock is `againAt`, near the records'
 * times (by today's clock their closed incidents are past the retention and rightly dropped).
 */
export async function nextPassOverStoredState(options: {
  fixture: <T>(file: string) => T;
  kind: 'file' | 'firestore';
  kubeconfig: string;
  showNextPass: () => void;
  at: string;
  againAt: string;
  /** The deployment's settings the release ran with (`STORM_THRESHOLD`…), for both passes. */
  settings?: Partial<PassDeps>;
  /**
   * The fixture holds the daily digests' entries too: the file store's in `file-digests.json`
   * (by file name), Firestore's among its documents.
   */
  digests?: boolean;
}): Promise<{
  recorded: RecordedCalls;
  summary: PassSummary;
  again: PassSummary;
  calls: Array<Record<string, unknown>>;
}> {
  const {fixture, kind} = options;
  const recorded = fixture<RecordedCalls>(`${kind}-next-pass-slack-calls.json`);
  const slack = await startSlackApiServer({
    token: TOKEN,
    channels: [{id: CHANNEL, name: 'alerts'}],
  });
  slack.seed(recorded.postedBefore);
  let firestore: Firestore | undefined;
  if (kind === 'firestore') {
    firestore = new Firestore({projectId: `upgrade-${randomUUID().slice(0, 8)}`});
    const docs = fixture<Record<string, Record<string, unknown>>>('firestore-store.json');
    for (const [docPath, data] of Object.entries(docs)) {
      const expireAt = data['expireAt'] as {timestamp: string} | null | undefined;
      await firestore.doc(docPath).set({
        ...data,
        ...(expireAt ? {expireAt: Timestamp.fromDate(new Date(expireAt.timestamp))} : {}),
      });
    }
  }
  const storeNow = () => new Date(options.againAt);
  const w = await world(
    options.kubeconfig,
    slack,
    kind === 'file' ? {fileStore: true, storeNow} : {firestore, storeNow},
  );
  if (kind === 'file') {
    const file = (w.store as FileIncidentStore).fileOf(CLUSTER_ID);
    await mkdir(path.dirname(file), {recursive: true});
    await writeFile(file, JSON.stringify(fixture('file-store.json')));
    if (options.digests === true) {
      // The file store keeps them beside the clusters' state files.
      const dir = path.join(path.dirname(path.dirname(file)), 'digests');
      await mkdir(dir, {recursive: true});
      const entries = fixture<Record<string, unknown>>('file-digests.json');
      for (const [name, entry] of Object.entries(entries)) {
        await writeFile(path.join(dir, name), JSON.stringify(entry));
      }
    }
  }
  options.showNextPass();
  const summary = await pass(w, options.at, options.settings);
  const again = await pass(w, options.againAt, options.settings);
  await w.close();
  await firestore?.terminate();
  await slack.close();
  const calls = slack.calls.map(c => ({
    method: c.method,
    channel: c.channel,
    thread_ts: c.thread_ts,
    ts: c.method === 'chat.update' ? c.ts : null,
    text: c.text,
    blocks: c.blocks,
    metadata: c.metadata,
    outcome: c.outcome,
  }));
  return {recorded, summary, again, calls};
}
