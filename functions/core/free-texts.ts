/**
 * The free texts a cluster writes into what the watcher reads — Job condition messages, Pod,
 * container (terminated and waiting) and scheduling messages, Event messages — and a way to
 * replace them. Whoever runs a Job writes them (a termination message is whatever the program
 * left in `/dev/termination-log`, or its last log lines), so each may hold a secret and is
 * masked before any decision sees it. Pure: the pass collects the texts, masks them (the
 * vendor layer is asynchronous) and puts the masked ones back through the same function.
 */
import type {CronJobView, GoneJobEvent} from './detector.js';
import type {PodInfo, RunVerdict} from './model.js';

/** Replaces one text; only called on texts with something besides white space. */
export type TextMap = (text: string) => string;

function mapped(text: string | null, map: TextMap): string | null {
  return text === null || text.trim() === '' ? text : map(text);
}

function mapVerdict(verdict: RunVerdict, map: TextMap): RunVerdict {
  const message = mapped(verdict.message, map);
  return message === verdict.message ? verdict : {...verdict, message};
}

/** The Pods with every free text replaced (the names, reasons and codes stay). */
export function mapPodTexts(pods: readonly PodInfo[], map: TextMap): PodInfo[] {
  return pods.map(pod => ({
    ...pod,
    message: mapped(pod.message, map),
    unschedulable: mapped(pod.unschedulable, map),
    terminations: pod.terminations.map(t => ({...t, message: mapped(t.message, map)})),
    waiting: pod.waiting.map(w => ({...w, message: mapped(w.message, map)})),
  }));
}

/**
 * The view with every free text it carries replaced: the runs' messages (from the Jobs'
 * conditions) and the gone Jobs' Event messages. Details and excerpts are built from texts
 * masked before (`mapPodTexts`, the log excerpt), so they are left as they are.
 */
export function mapViewTexts(view: CronJobView, map: TextMap): CronJobView {
  const events =
    view.events === undefined
      ? undefined
      : new Map(
          [...view.events].map(([name, event]): [string, GoneJobEvent] => [
            name,
            {...event, message: mapped(event.message, map)},
          ]),
        );
  return {
    ...view,
    runs: view.runs.map(run => {
      const verdict = mapVerdict(run.verdict, map);
      return verdict === run.verdict ? run : {...run, verdict};
    }),
    running: view.running.map(run => mapVerdict(run, map)),
    ...(events === undefined ? {} : {events}),
  };
}

/** The distinct texts `apply` would replace (it is called once, with a map that collects). */
export function textsOf(apply: (map: TextMap) => unknown): string[] {
  const texts = new Set<string>();
  apply(text => {
    texts.add(text);
    return text;
  });
  return [...texts];
}
