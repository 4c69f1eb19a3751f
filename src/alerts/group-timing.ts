/**
 * When a notification group is flushed and whether a target hears about it — the pure core of
 * Alertmanager's aggregation group (`dispatch/dispatch.go`, aggrGroup) and DedupStage
 * (`notify/notify.go`, needsUpdate), for a group whose state is persisted.
 *
 * Ticks (per group, the same for all its targets):
 * - The first flush happens `group_wait` after the group got its first alert, or earlier once
 *   an alert's own `startsAt` + `group_wait` has passed (never before the group existed):
 *   Alertmanager flushes at once for alerts that are already older than group_wait on arrival.
 * - After that the group is flushed every `group_interval`, counted from the last flush.
 *
 * At each flush, per target (Alertmanager's notification-log check; the notified sets are those
 * of the last notification recorded for that target):
 * - never notified: notify when anything is firing (first notification);
 * - a firing alert that was not in the last notification: notify (new alerts);
 * - nothing firing any more: notify when the last notification had firing alerts — this
 *   "all resolved" entry is recorded whether or not the target sends resolved notifications, but a
 *   message only goes out with `send_resolved`; with nothing firing before either, nothing is sent;
 * - with `send_resolved`, a resolved alert not in the last notification's resolved set: notify;
 * - otherwise (nothing changed): notify again once `repeat_interval` has passed since the last
 *   notification — checked at flush ticks, so a repeat lands on the first tick after it is due.
 * A target without `send_resolved` is sent the firing alerts only.
 *
 * After a flush the caller drops the resolved alerts it included (Alertmanager deletes them from
 * the group). A flush in which nothing fires leaves the group empty: it is finished and can be
 * deleted; the next alert with the same group key starts a new group with a new group_wait.
 */

export enum NotifyReason {
  None = 'none',
  FirstNotification = 'first_notification',
  NewAlerts = 'new_alerts',
  NewResolved = 'new_resolved',
  AllResolved = 'all_resolved',
  RepeatInterval = 'repeat_interval',
}

export interface GroupTimingState {
  /** When the group got its first alert. */
  firstAlertAt: Date;
  /** The last flush (tick) of the group; null before the first. */
  lastFlushAt: Date | null;
  /** Fingerprints firing / resolved in the last notification recorded for this target. */
  notifiedFiring: readonly string[];
  notifiedResolved: readonly string[];
  /** When that notification was recorded; null when this target was never notified. */
  lastNotifiedAt: Date | null;
}

export interface GroupAlertState {
  fingerprint: string;
  resolved: boolean;
  /** The alert's `startsAt`, to flush at once when an alert is older than group_wait on arrival. */
  startsAt?: Date;
}

export interface GroupTimingOptions {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

export interface FlushDecision {
  /** The group's tick is due: evaluate and record `lastFlushAt = now`. */
  flushNow: boolean;
  /** Record a new notification for this target (with `firing` / `resolved` below). */
  notify: boolean;
  /** A message goes out to this target (notify, and something to send to it). */
  send: boolean;
  reason: NotifyReason;
  /** The current firing and resolved fingerprints (sorted); what `notify` records. */
  firing: string[];
  resolved: string[];
  /** The alerts the message carries: firing, plus resolved when the target sends resolved. */
  sendFingerprints: string[];
  /** When to look at the group again; null once it is finished. */
  nextCheckAt: Date | null;
  /** Nothing fires after this flush: the group can be deleted. */
  finished: boolean;
}

/** The time the group's next tick is due. */
export function nextFlushAt(state: Pick<GroupTimingState, 'firstAlertAt' | 'lastFlushAt'>, alerts: readonly GroupAlertState[], timing: GroupTimingOptions): Date {
  if (state.lastFlushAt !== null) return new Date(state.lastFlushAt.getTime() + timing.groupIntervalMs);
  let due = state.firstAlertAt.getTime() + timing.groupWaitMs;
  for (const a of alerts) {
    if (a.startsAt && a.startsAt.getTime() + timing.groupWaitMs < due) due = Math.max(a.startsAt.getTime() + timing.groupWaitMs, state.firstAlertAt.getTime());
  }
  return new Date(due);
}

function isSubset(subset: readonly string[], set: ReadonlySet<string>): boolean {
  return subset.every((x) => set.has(x));
}

/** Alertmanager's DedupStage decision for one target at a flush. */
export function notifyReason(
  state: Pick<GroupTimingState, 'notifiedFiring' | 'notifiedResolved' | 'lastNotifiedAt'>,
  firing: readonly string[],
  resolved: readonly string[],
  sendResolved: boolean,
  repeatIntervalMs: number,
  now: Date,
): NotifyReason {
  if (state.lastNotifiedAt === null) return firing.length > 0 ? NotifyReason.FirstNotification : NotifyReason.None;
  if (!isSubset(firing, new Set(state.notifiedFiring))) {
    return state.notifiedFiring.length === 0 ? NotifyReason.FirstNotification : NotifyReason.NewAlerts;
  }
  if (firing.length === 0) return state.notifiedFiring.length > 0 ? NotifyReason.AllResolved : NotifyReason.None;
  if (sendResolved && !isSubset(resolved, new Set(state.notifiedResolved))) return NotifyReason.NewResolved;
  return state.lastNotifiedAt.getTime() < now.getTime() - repeatIntervalMs ? NotifyReason.RepeatInterval : NotifyReason.None;
}

/** Whether the group flushes now, what this target is told, and when to look again. */
export function decideGroupFlush(
  state: GroupTimingState,
  alerts: readonly GroupAlertState[],
  timing: GroupTimingOptions,
  sendResolved: boolean,
  now: Date,
): FlushDecision {
  const firing = alerts.filter((a) => !a.resolved).map((a) => a.fingerprint).sort();
  const resolved = alerts.filter((a) => a.resolved).map((a) => a.fingerprint).sort();
  const due = nextFlushAt(state, alerts, timing);

  if (due.getTime() > now.getTime()) {
    return { flushNow: false, notify: false, send: false, reason: NotifyReason.None, firing, resolved, sendFingerprints: [], nextCheckAt: due, finished: false };
  }

  const reason = notifyReason(state, firing, resolved, sendResolved, timing.repeatIntervalMs, now);
  const notify = reason !== NotifyReason.None;
  const sendFingerprints = notify ? (sendResolved ? [...firing, ...resolved] : [...firing]) : [];
  const send = notify && (firing.length > 0 || (sendResolved && resolved.length > 0));
  const finished = firing.length === 0;
  return {
    flushNow: true,
    notify,
    send,
    reason,
    firing,
    resolved,
    sendFingerprints: send ? sendFingerprints : [],
    nextCheckAt: finished ? null : new Date(now.getTime() + timing.groupIntervalMs),
    finished,
  };
}
