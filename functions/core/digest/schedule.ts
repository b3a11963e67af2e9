/**
 * When the daily digest is due: `DIGEST_AT="09:00 Asia/Tokyo"` (zone optional, default UTC),
 * once per local day, by the first pass at or after that time. A day whose time passed while
 * the watcher was down gets its digest late the same day, never the next one. Pure.
 */
import type {Check} from '../annotations.js';
import {civilOf, dateIn, loadLocation} from '../cron/zone.js';

/** The local time of day the digest goes out, and its zone. */
export interface DigestAt {
  hour: number;
  minute: number;
  timeZone: string;
}

/** Parses `09:00 Asia/Tokyo` or `9:30` (UTC). */
export function parseDigestAt(raw: string): Check<DigestAt> {
  const m = /^(\d{1,2}):(\d{2})(?:\s+(\S+))?$/.exec(raw.trim());
  const shape = 'must be a time of day and an optional IANA zone, e.g. "09:00 Asia/Tokyo"';
  if (m === null) return {ok: false, problem: shape};
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return {ok: false, problem: `${shape}: no such time`};
  const zone = m[3] ?? 'UTC';
  if (loadLocation(zone) === null) {
    return {ok: false, problem: `${shape}: "${zone}" is not a time zone`};
  }
  return {ok: true, value: {hour, minute, timeZone: zone}};
}

/** The local date (`2026-03-03`) whose digest is due at `now`; null before today's time. */
export function digestDateDue(at: DigestAt, now: Date): string | null {
  const today = civilOf(at.timeZone, now.getTime());
  const dueMs = dateIn(at.timeZone, today.year, today.month, today.day, at.hour, at.minute, 0);
  if (now.getTime() < dueMs) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${today.year}-${pad(today.month)}-${pad(today.day)}`;
}
