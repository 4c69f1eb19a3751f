import { applyIncoming, mergeAlerts, toRecord } from './alert-merge.js';
import { parsePostableAlerts, parseTime } from './alert-ingest.parser.js';
import { type AlertRecord, IngestSource } from './alert.types.js';
import { canUpdateInPlace, silenceState, validateSilence } from './silence-logic.js';
import { SilenceState } from './silence.types.js';

const t = (s: string) => new Date(`2026-01-01T${s}Z`);
const rec = (o: Partial<AlertRecord>): AlertRecord => ({
  fingerprint: 'f',
  labels: { a: 'b' },
  annotations: {},
  startsAt: t('00:00:00'),
  endsAt: t('01:00:00'),
  endsAtGiven: true,
  updatedAt: t('00:00:00'),
  generatorURL: '',
  source: IngestSource.ApiV2,
  ...o,
});

describe('parsePostableAlerts', () => {
  it('should treat Go zero time as not set', () => {
    expect(parseTime('0001-01-01T00:00:00Z')).toEqual({ ok: true, value: null });
  });

  it('should drop empty-valued labels before validating names', () => {
    const r = parsePostableAlerts([{ labels: { a: 'x', 'bad name': '' } }]);
    expect(r.errors).toEqual([]);
    expect(r.alerts[0].labels).toEqual({ a: 'x' });
  });

  it('should reject an alert whole and keep the others', () => {
    const r = parsePostableAlerts([{ labels: { a: 'x' } }, { labels: { a: 'x', b: 1 }, startsAt: 'nope' }]);
    expect(r.alerts.map((a) => a.index)).toEqual([0]);
    expect(r.errors.map((e) => e.path)).toEqual(['[1].labels.b', '[1].startsAt']);
  });
});

describe('toRecord', () => {
  it('should end an alert without endsAt after resolve_timeout, marked as not given', () => {
    const r = toRecord({ index: 0, labels: { a: 'b' }, annotations: {}, startsAt: null, endsAt: null, generatorURL: '' }, IngestSource.ApiV2, t('00:00:00'), 300_000);
    expect(r.startsAt).toEqual(t('00:00:00'));
    expect(r.endsAt).toEqual(t('00:05:00'));
    expect(r.endsAtGiven).toBe(false);
  });
});

describe('mergeAlerts', () => {
  it('should keep the earliest start and a later given end over a timeout end', () => {
    const old = rec({ startsAt: t('00:00:00'), endsAt: t('02:00:00'), endsAtGiven: true, updatedAt: t('00:00:00') });
    const young = rec({ startsAt: t('00:10:00'), endsAt: t('00:15:00'), endsAtGiven: false, updatedAt: t('00:10:00') });
    const m = mergeAlerts(old, young, t('00:10:00'));
    expect([m.startsAt, m.endsAt, m.endsAtGiven]).toEqual([t('00:00:00'), t('02:00:00'), true]);
  });

  it('should let a younger resolution win over a firing alert', () => {
    const old = rec({ endsAt: t('00:20:00'), endsAtGiven: false, updatedAt: t('00:00:00') });
    const resolve = rec({ startsAt: t('00:00:00'), endsAt: t('00:05:00'), updatedAt: t('00:05:00') });
    expect(applyIncoming(old, resolve, t('00:05:00')).endsAt).toEqual(t('00:05:00'));
  });

  it('should replace an alert whose activity does not overlap', () => {
    const old = rec({ startsAt: t('00:00:00'), endsAt: t('00:05:00') });
    const fresh = rec({ startsAt: t('00:30:00'), endsAt: t('00:35:00'), updatedAt: t('00:30:00') });
    expect(applyIncoming(old, fresh, t('00:30:00')).startsAt).toEqual(t('00:30:00'));
  });
});

describe('silences', () => {
  const m = [{ name: 'alertname', value: 'X', isRegex: false, isEqual: true }];
  const base = { id: 's', matchers: m, startsAt: t('00:00:00'), endsAt: t('01:00:00'), createdBy: 'a', comment: 'c', updatedAt: t('00:00:00') };

  it('should be pending, active then expired', () => {
    expect([t('00:00:00'), t('00:30:00'), t('01:00:00')].map((at) => silenceState({ ...base, startsAt: t('00:10:00') }, at))).toEqual([
      SilenceState.Pending,
      SilenceState.Active,
      SilenceState.Expired,
    ]);
  });

  it('should update an active silence in place only with the same matchers and start', () => {
    expect(canUpdateInPlace(base, { ...base, endsAt: t('02:00:00') }, t('00:30:00'))).toBe(true);
    expect(canUpdateInPlace(base, { ...base, startsAt: t('00:20:00') }, t('00:30:00'))).toBe(false);
    expect(canUpdateInPlace(base, { ...base, matchers: [{ ...m[0], value: 'Y' }] }, t('00:30:00'))).toBe(false);
  });

  it('should reject matchers that all match the empty string', () => {
    expect(validateSilence({ ...base, matchers: [{ name: 'a', value: '.*', isRegex: true, isEqual: true }] }, t('00:00:00')).map((e) => e.path)).toEqual(['matchers']);
  });
});
