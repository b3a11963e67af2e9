/**
 * The real reason behind a Job's failure, from its Pods: "backoff limit reached" says the
 * Job gave up, the Pods say why it kept failing (OOMKilled, exit 1, Evicted).
 */
import type {PodInfo} from './model.js';

// Three distinct causes say everything a Slack message can usefully carry.
const MAX_CAUSES = 3;

/** One line per distinct cause, newest Pod first; null when the Pods say nothing. */
export function explainFailure(pods: PodInfo[]): string | null {
  const newestFirst = [...pods].sort(
    (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
  );
  const causes: string[] = [];
  for (const pod of newestFirst) {
    for (const line of causesOf(pod)) {
      if (!causes.includes(line)) causes.push(line);
    }
  }
  if (causes.length === 0) return null;
  const shown = causes.slice(0, MAX_CAUSES);
  const more = causes.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

function causesOf(pod: PodInfo): string[] {
  const lines: string[] = [];
  if (pod.reason !== null) {
    lines.push(`pod ${pod.reason}${pod.message ? `: ${pod.message}` : ''}`);
  }
  for (const t of pod.terminations) {
    // A clean exit is not a cause.
    if (t.exitCode === 0 && (t.reason === null || t.reason === 'Completed')) continue;
    // Nothing known about it: saying "terminated" adds noise, not a cause.
    if (t.exitCode === null && t.reason === null) continue;
    const code = t.exitCode === null ? '' : ` (exit ${t.exitCode})`;
    lines.push(`container ${t.container}: ${t.reason ?? 'terminated'}${code}`);
  }
  return lines;
}

/**
 * Why a Job that should have finished is still running, from its Pods: containers that
 * cannot start (`ImagePullBackOff`, `CreateContainerConfigError`), a Pod that cannot be
 * scheduled, restarts. Null when every Pod simply runs.
 */
export function explainStuck(pods: PodInfo[]): string | null {
  const newestFirst = [...pods].sort(
    (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
  );
  const causes: string[] = [];
  for (const pod of newestFirst) {
    const lines: string[] = [];
    if (pod.unschedulable !== null) lines.push(`pod ${pod.name}: ${pod.unschedulable}`);
    for (const w of pod.waiting) {
      // `ContainerCreating` and `PodInitializing` are a normal start, not a cause.
      if (w.reason === 'ContainerCreating' || w.reason === 'PodInitializing') continue;
      lines.push(`container ${w.container}: ${w.reason}${w.message ? ` (${w.message})` : ''}`);
    }
    if (pod.restarts > 0) lines.push(`pod ${pod.name}: ${pod.restarts} restarts`);
    for (const line of lines) if (!causes.includes(line)) causes.push(line);
  }
  if (causes.length === 0) return null;
  const shown = causes.slice(0, MAX_CAUSES);
  const more = causes.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}
