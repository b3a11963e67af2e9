/**
 * Slack's request signing: `X-Slack-Signature: v0=<hex HMAC-SHA256 of
 * "v0:{X-Slack-Request-Timestamp}:{raw body}" keyed with the app's signing secret>`. Checked on
 * the raw bytes before anything parses them, compared in constant time, and only for a
 * timestamp within five minutes of ours (Slack's own bound, which keeps a captured request
 * from being replayed later).
 */
import {createHmac, timingSafeEqual} from 'node:crypto';

/** How far a request's timestamp may be from our clock, either way. */
export const SIGNATURE_MAX_SKEW_S = 5 * 60;

/** The two headers Slack signs a request with, as received (absent: undefined). */
export interface SignedHeaders {
  timestamp: string | undefined;
  signature: string | undefined;
}

/** Slack's signature of `body` sent at `timestamp` (seconds), for `secret`. */
export function slackSignature(secret: string, timestamp: string, body: Buffer | string): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(body);
  return `v0=${hmac.digest('hex')}`;
}

/** True when Slack signed this body with `secret`, within SIGNATURE_MAX_SKEW_S of `nowMs`. */
export function isSignedBySlack(
  secret: string,
  headers: SignedHeaders,
  body: Buffer,
  nowMs: number,
): boolean {
  const {timestamp, signature} = headers;
  if (timestamp === undefined || signature === undefined) return false;
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_MAX_SKEW_S) return false;
  const expected = Buffer.from(slackSignature(secret, timestamp, body), 'utf8');
  const presented = Buffer.from(signature, 'utf8');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
