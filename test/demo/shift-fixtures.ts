/**
 * The Kubernetes fixtures were captured at one moment (test/fixtures/kubernetes/README.md).
 * Served as they are to a CLI that runs on the real clock, every CronJob looks months late and
 * every running Job months old. `npm run test-cluster` serves them moved forward to now
 * instead, as the demo places its story: each timestamp by the same amount.
 */
import type {FixtureObjects} from '../support/kube-fixtures.js';

/** "Now" for the fixtures, as their README states it. */
export const FIXTURES_NOW = new Date('2026-03-10T09:10:00Z');

// The finest schedule among the fixtures is every 5 minutes: a shift by whole 5-minute steps
// keeps its runs on its ticks, and leaves the fixtures' "now" less than one tick behind.
const STEP_MS = 5 * 60_000;

// An RFC 3339 time as the API server writes it (Z, or an offset in annotations).
const TIMESTAMP = /\b(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g;

/** How far to move the fixtures so their "now" is at most one step before `now`. */
export function shiftFor(now: Date): number {
  return Math.floor((now.getTime() - FIXTURES_NOW.getTime()) / STEP_MS) * STEP_MS;
}

/** `text` with every timestamp in it moved by `shiftMs` (written in UTC). */
export function shiftText(text: string, shiftMs: number): string {
  return text.replace(TIMESTAMP, (stamp, year: string, fraction: string | undefined) => {
    // Year 1 is Kubernetes' "zero time" (a sentinel, not a moment): left as it is.
    if (Number(year) < 1970) return stamp;
    const moved = new Date(Date.parse(stamp) + shiftMs).toISOString();
    return fraction === undefined ? moved.replace(/\.\d{3}Z$/, 'Z') : moved;
  });
}

function shiftValue(value: unknown, shiftMs: number): unknown {
  if (typeof value === 'string') return shiftText(value, shiftMs);
  if (Array.isArray(value)) return value.map(v => shiftValue(v, shiftMs));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, shiftValue(v, shiftMs)]),
    );
  }
  return value;
}

/** The fixtures with every timestamp (in objects and pod logs) moved by `shiftMs`. */
export function shiftFixtures(objects: FixtureObjects, shiftMs: number): FixtureObjects {
  return shiftValue(objects, shiftMs) as FixtureObjects;
}
