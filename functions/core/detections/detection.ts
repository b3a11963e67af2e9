/**
 * What one detection is made of, as the registry lists it: the kind of incident it opens, its
 * detector, the settings its annotations give, its words in every language and the function
 * that fills neutral messages from its incident. Everything that enumerates kinds is derived
 * from the registry's list of these (registry.ts).
 */
import type {SettingsSpec} from '../annotations.js';
import type {ClusterView, CronJobView, Detector} from '../detector.js';
import type {IncidentKind, IncidentOf, TransitionNotification} from '../incident.js';
import type {Language} from '../messages/languages.js';
import type {MessageContext, NotificationMessages} from '../messages/model.js';
import type {WordsOf} from '../messages/words.js';

interface DetectionParts<K extends IncidentKind, W, S extends Record<string, unknown>> {
  readonly kind: K;
  /** Its annotations (without the prefix), the settings they fill and their defaults. */
  readonly settings: SettingsSpec<S>;
  /** Its own words, one object per language: a missing language or entry does not compile. */
  readonly words: Readonly<Record<Language, W>>;
  /** Every message a notification about one of its incidents may need. */
  messages(
    notification: TransitionNotification,
    incident: IncidentOf<K>,
    context: MessageContext,
    words: WordsOf<W>,
  ): NotificationMessages;
}

/** One detection: of a CronJob, or of the cluster itself. */
export type Detection<
  K extends IncidentKind,
  W,
  S extends Record<string, unknown>,
> = DetectionParts<K, W, S> &
  (
    | {readonly subject: 'cronjob'; readonly detector: Detector<CronJobView, S>}
    | {readonly subject: 'cluster'; readonly detector: Detector<ClusterView, S>}
  );

/** Any detection, for code that walks the registry. */
export type AnyDetection = Detection<IncidentKind, unknown, Record<string, unknown>>;
