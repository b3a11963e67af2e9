/** The cluster-unreadable detection: passes in a row that could not read the cluster. */
import type {Detection} from '../detection.js';
import {clusterUnreadable as detector} from './detector.js';
import {clusterUnreadableMessages} from './messages.js';
import {CLUSTER_UNREADABLE_WORDS, type ClusterUnreadableWords} from './words.js';

/** No annotation: its threshold is the configuration's (`CLUSTER_DOWN_AFTER`). */
type ClusterUnreadableSettings = Record<never, never>;

export const clusterUnreadable: Detection<
  'cluster-unreadable',
  ClusterUnreadableWords,
  ClusterUnreadableSettings
> = {
  kind: 'cluster-unreadable',
  subject: 'cluster',
  detector,
  settings: {annotations: [], defaults: {}},
  words: CLUSTER_UNREADABLE_WORDS,
  messages: clusterUnreadableMessages,
};
