import type {IncidentBase, ReadError} from '../../incident-base.js';

/** A stretch of passes that could not read a cluster (id `cluster:<clusterId>@<since>`). */
export interface ClusterUnreadableIncident extends IncidentBase {
  kind: 'cluster-unreadable';
  firstError: ReadError;
  latestError: ReadError;
  failedReads: number;
}
