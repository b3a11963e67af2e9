/**
 * Every detection, listed once. The incident kinds, the detectors of each subject, the
 * detections a deployment can turn off (`DETECTIONS`), the annotation table (policy.ts), the
 * catalogues and the message dispatch (messages/catalogue.ts, messages/build.ts) are derived
 * from this list. Adding a detection: its folder here, one line in `DETECTIONS`, its incident
 * type in the `Incident` union (incident.ts) and a table test.
 */
import type {ClusterView, CronJobView, Detector} from '../detector.js';
import type {IncidentKind} from '../incident.js';
import {clusterUnreadable} from './cluster-unreadable/index.js';
import type {AnyDetection} from './detection.js';
import {failing} from './failing/index.js';
import {finishedTooFast} from './finished-too-fast/index.js';
import {missed} from './missed/index.js';
import {runningTooLong} from './running-too-long/index.js';
import {slowerThanUsual} from './slower-than-usual/index.js';

/** Every detection, in the order a subject's detectors are evaluated. */
export const DETECTIONS = [
  failing,
  runningTooLong,
  missed,
  clusterUnreadable,
  slowerThanUsual,
  finishedTooFast,
] as const;

type Listed = (typeof DETECTIONS)[number];

// Every kind of incident has its detection: a kind missing from the list does not compile.
type Unlisted = Exclude<IncidentKind, Listed['kind']>;
const _complete: [Unlisted] extends [never] ? true : Unlisted = true;

/** Every kind, for code that reads stored data. */
export const INCIDENT_KINDS: readonly IncidentKind[] = DETECTIONS.map(d => d.kind);

/** The kinds of incident a CronJob can have; a deployment may turn any of them off. */
export type CronJobKind = Extract<Listed, {subject: 'cronjob'}>['kind'];

/** The kinds of CronJob detections, in registry order. */
export const CRONJOB_KINDS: readonly CronJobKind[] = DETECTIONS.flatMap(d =>
  d.subject === 'cronjob' ? [d.kind] : [],
);

type SettingsOf<D> = D extends {settings: {defaults: infer S}} ? S : never;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (u: infer I) => void
  ? I
  : never;

/** The settings of every detection, as its annotations give them. */
export type DetectionSettings = Intersection<SettingsOf<Listed>>;

/** Every detection's settings at their defaults. */
export const DEFAULT_DETECTION_SETTINGS = Object.assign(
  {},
  ...DETECTIONS.map(d => d.settings.defaults),
) as DetectionSettings;

/** The detectors of CronJobs, in the order they are evaluated. */
export const CRONJOB_DETECTORS: ReadonlyArray<Detector<CronJobView, DetectionSettings>> =
  DETECTIONS.flatMap(d => (d.subject === 'cronjob' ? [d.detector] : []));

/** The detectors of the cluster itself. */
export const CLUSTER_DETECTORS: ReadonlyArray<Detector<ClusterView, DetectionSettings>> =
  DETECTIONS.flatMap(d => (d.subject === 'cluster' ? [d.detector] : []));

const BY_KIND = new Map<IncidentKind, AnyDetection>(DETECTIONS.map(d => [d.kind, d]));

/** The detection of a kind of incident. */
export function detectionOf(kind: IncidentKind): AnyDetection {
  const detection = BY_KIND.get(kind);
  // Unreachable while `_complete` compiles; a record from a newer release could name one.
  if (detection === undefined) throw new Error(`no detection of kind ${kind}`);
  return detection;
}
