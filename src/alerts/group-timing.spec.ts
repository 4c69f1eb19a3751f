import { FakeClock } from '../common/clock.js';
import { type GroupAlertState, type GroupTimingState, NotifyReason, decideGroupFlush, nextFlushAt, notifyReason } from './group-timing.js';

const timing = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 3_600_000 };
const T0 = new Date('2026-01-01T00:00:00Z');
const plus = (ms: number): Date => new Date(T0.getTime() + ms);
const firing = (fp: string): GroupAlertState => ({ fingerprint: fp, resolved: false });
const resolved = (fp: string): GroupAlertState => ({ fingerprint: fp, resolved: true });

describe(notifyReason.name, () => {
  const now = plus(10 * 60_000);
  const notified = (f: string[], r: string[] = [], at: Date | null = plus(9 * 60_000)) => ({ notifiedFiring: f, notifiedResolved: r, lastNotifiedAt: at });

  it.each<[string, ReturnType<typeof notified>, string[], string[], boolean, NotifyReason]>([
    ['first notification', notified([], [], null), ['a'], [], false, NotifyReason.FirstNotification],
    ['nothing ever fired and nothing notified', notified([], [], null), [], ['a'], true, NotifyReason.None],
    ['a new firing alert', notified(['a']), ['a', 'b'], [], false, NotifyReason.NewAlerts],
    ['firing again after everything had resolved', notified([], ['a']), ['a'], [], false, NotifyReason.FirstNotification],
    ['one of two resolved, target without send_resolved', notified(['a', 'b']), ['a'], ['b'], false, NotifyReason.None],
    ['one of two resolved, target with send_resolved', notified(['a', 'b']), ['a'], ['b'], true, NotifyReason.NewResolved],
    ['a resolved alert already notified', notified(['a'], ['b']), ['a'], ['b'], true, NotifyReason.None],
    ['all resolved, without send_resolved', notified(['a']), [], ['a'], false, NotifyReason.AllResolved],
    ['all resolved, nothing firing notified before', notified([], ['a']), [], ['a', 'b'], true, NotifyReason.None],
    ['nothing changed within repeat_interval', notified(['a']), ['a'], [], false, NotifyReason.None],
    ['nothing changed after repeat_interval', notified(['a'], [], plus(-60 * 60_000 + 10 * 60_000 - 1)), ['a'], [], false, NotifyReason.RepeatInterval],
    ['exactly at repeat_interval', notified(['a'], [], plus(-60 * 60_000 + 10 * 60_000)), ['a'], [], false, NotifyReason.None],
  ])('should answer %s', (_what, state, f, r, sendResolved, expected) => {
    expect(notifyReason(state, f, r, sendResolved, timing.repeatIntervalMs, now)).toBe(expected);
  });
});

describe(nextFlushAt.name, () => {
  it('should wait group_wait after the first alert', () => {
    expect(nextFlushAt({ firstAlertAt: T0, lastFlushAt: null }, [firing('a')], timing)).toEqual(plus(30_000));
  });

  it('should flush at once for an alert older than group_wait on arrival', () => {
    const old = { fingerprint: 'a', resolved: false, startsAt: plus(-3_600_000) };
    expect(nextFlushAt({ firstAlertAt: T0, lastFlushAt: null }, [old], timing)).toEqual(T0);
  });

  it('should count group_interval from the last flush', () => {
    expect(nextFlushAt({ firstAlertAt: T0, lastFlushAt: plus(30_000) }, [firing('a')], timing)).toEqual(plus(330_000));
  });
});

describe(decideGroupFlush.name, () => {
  it('should walk a group through wait, first send, quiet ticks, a change, a repeat and resolution', () => {
    const clock = new FakeClock(T0);
    const state: GroupTimingState = { firstAlertAt: T0, lastFlushAt: null, notifiedFiring: [], notifiedResolved: [], lastNotifiedAt: null };
    let alerts: GroupAlertState[] = [firing('a')];
    const log: string[] = [];
    const step = (sendResolved = true): ReturnType<typeof decideGroupFlush> => {
      const d = decideGroupFlush(state, alerts, timing, sendResolved, clock.now());
      if (d.flushNow) {
        state.lastFlushAt = clock.now();
        if (d.notify) {
          state.notifiedFiring = d.firing;
          state.notifiedResolved = d.resolved;
          state.lastNotifiedAt = clock.now();
        }
        alerts = alerts.filter((x) => !x.resolved);
        log.push(`${(clock.now().getTime() - T0.getTime()) / 1000}s ${d.reason}${d.send ? ' send ' + d.sendFingerprints.join('+') : ''}`);
      }
      return d;
    };

    expect(step()).toMatchObject({ flushNow: false, nextCheckAt: plus(30_000) });
    clock.set(plus(30_000));
    expect(step()).toMatchObject({ flushNow: true, send: true, nextCheckAt: plus(330_000) });
    clock.set(plus(330_000));
    expect(step()).toMatchObject({ flushNow: true, notify: false }); // nothing changed
    alerts.push(firing('b'));
    clock.set(plus(400_000));
    expect(step()).toMatchObject({ flushNow: false, nextCheckAt: plus(630_000) }); // waits for group_interval
    clock.set(plus(630_000));
    expect(step()).toMatchObject({ reason: NotifyReason.NewAlerts, sendFingerprints: ['a', 'b'] });
    for (let t = 930_000; t <= 4_530_000; t += 300_000) {
      clock.set(plus(t));
      step();
    }
    alerts = [resolved('a'), firing('b')];
    clock.set(plus(4_830_000));
    expect(step(false)).toMatchObject({ notify: false }); // without send_resolved a partial resolve is silent
    alerts = [resolved('b')];
    clock.set(plus(5_130_000));
    const last = step(false);
    expect(last).toMatchObject({ reason: NotifyReason.AllResolved, notify: true, send: false, finished: true, nextCheckAt: null });

    expect(log).toEqual([
      '30s first_notification send a',
      '330s none',
      '630s new_alerts send a+b',
      '930s none',
      '1230s none',
      '1530s none',
      '1830s none',
      '2130s none',
      '2430s none',
      '2730s none',
      '3030s none',
      '3330s none',
      '3630s none',
      '3930s none',
      '4230s none', // exactly 1h after the last notification: not yet (strictly before, as Alertmanager)
      '4530s repeat_interval send a+b', // the first tick after 630s + 1h
      '4830s none',
      '5130s all_resolved',
    ]);
  });

  it('should send resolved alerts only to a target with send_resolved', () => {
    const state: GroupTimingState = { firstAlertAt: T0, lastFlushAt: plus(30_000), notifiedFiring: ['a'], notifiedResolved: [], lastNotifiedAt: plus(30_000) };
    const now = plus(330_000);
    const withResolved = decideGroupFlush(state, [resolved('a')], timing, true, now);
    const without = decideGroupFlush(state, [resolved('a')], timing, false, now);
    expect(withResolved).toMatchObject({ notify: true, send: true, sendFingerprints: ['a'], finished: true });
    expect(without).toMatchObject({ notify: true, send: false, sendFingerprints: [], finished: true });
  });

  it('should finish silently a group whose alerts fired and resolved before its first flush', () => {
    const state: GroupTimingState = { firstAlertAt: T0, lastFlushAt: null, notifiedFiring: [], notifiedResolved: [], lastNotifiedAt: null };
    expect(decideGroupFlush(state, [resolved('a')], timing, true, plus(30_000))).toMatchObject({ flushNow: true, notify: false, send: false, finished: true });
  });
});
