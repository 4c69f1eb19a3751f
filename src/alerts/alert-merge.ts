import { fingerprint } from './fingerprint.js';
import { type AlertRecord, type IncomingAlert, type IngestSource, isResolvedAt } from './alert.types.js';

/**
 * Alertmanager's time rules for a posted alert (API `postAlertsHandler`): a missing `startsAt`
 * is `now` (or `endsAt` when only that was given); a missing `endsAt` is `now +
 * resolve_timeout`, remembered as not given (Alertmanager's `Timeout`).
 */
export function toRecord(incoming: IncomingAlert, source: IngestSource, now: Date, resolveTimeoutMs: number): AlertRecord {
  const endsAtGiven = incoming.endsAt !== null;
  const startsAt = incoming.startsAt ?? incoming.endsAt ?? now;
  const endsAt = incoming.endsAt ?? new Date(now.getTime() + resolveTimeoutMs);
  return {
    fingerprint: fingerprint(incoming.labels),
    labels: incoming.labels,
    annotations: incoming.annotations,
    startsAt,
    endsAt,
    endsAtGiven,
    updatedAt: now,
    generatorURL: incoming.generatorURL,
    source,
  };
}

/** Alertmanager's `Alert.Merge`: `b` is the younger alert, times merged as Alertmanager merges them. */
export function mergeAlerts(a: AlertRecord, b: AlertRecord, now: Date): AlertRecord {
  if (b.updatedAt.getTime() < a.updatedAt.getTime()) return mergeAlerts(b, a, now);
  const res: AlertRecord = { ...b };
  if (a.startsAt.getTime() < b.startsAt.getTime()) res.startsAt = a.startsAt;
  if (isResolvedAt(b, now)) {
    // The latest explicit resolution wins when both are resolved.
    if (isResolvedAt(a, now) && a.endsAt.getTime() > b.endsAt.getTime()) {
      res.endsAt = a.endsAt;
      res.endsAtGiven = a.endsAtGiven;
    }
  } else if (a.endsAt.getTime() > b.endsAt.getTime() && a.endsAtGiven) {
    // A given (non-timeout) end time rules when it is the latest.
    res.endsAt = a.endsAt;
    res.endsAtGiven = true;
  }
  return res;
}

/**
 * What the store keeps when `incoming` arrives for an alert it holds (`provider/mem` `Put`):
 * merged when their activity ranges overlap, else the incoming alert replaces the old one.
 */
export function applyIncoming(old: AlertRecord | undefined, incoming: AlertRecord, now: Date): AlertRecord {
  if (!old) return incoming;
  const t = (d: Date): number => d.getTime();
  const overlaps =
    (t(incoming.endsAt) > t(old.startsAt) && t(incoming.endsAt) < t(old.endsAt)) ||
    (t(incoming.startsAt) > t(old.startsAt) && t(incoming.startsAt) < t(old.endsAt));
  return overlaps ? mergeAlerts(old, incoming, now) : incoming;
}
