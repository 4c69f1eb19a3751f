import { TimeInterval, TimeIntervalConfigError, UnknownTimeIntervalError, isActive, isMuted, parseTimeIntervals, type TimeIntervalConfig } from './time-intervals.js';

const at = (iso: string): Date => new Date(iso);

describe(TimeInterval.name, () => {
  describe('contains', () => {
    it.each<[string, TimeIntervalConfig, string, boolean]>([
      ['inside business hours', { times: [{ start_time: '09:00', end_time: '17:00' }] }, '2026-03-04T09:00:00Z', true],
      ['at the exclusive end', { times: [{ start_time: '09:00', end_time: '17:00' }] }, '2026-03-04T17:00:00Z', false],
      ['one minute before the end', { times: [{ start_time: '09:00', end_time: '17:00' }] }, '2026-03-04T16:59:59Z', true],
      ['until 24:00', { times: [{ start_time: '22:00', end_time: '24:00' }] }, '2026-03-04T23:59:00Z', true],
      ['a weekday range', { weekdays: ['monday:friday'] }, '2026-03-06T12:00:00Z', true], // Friday
      ['a weekend day outside the range', { weekdays: ['monday:friday'] }, '2026-03-07T12:00:00Z', false], // Saturday
      ['a single weekday, any case', { weekdays: ['Saturday'] }, '2026-03-07T12:00:00Z', true],
      ['the last day of February', { days_of_month: ['-1'] }, '2026-02-28T12:00:00Z', true],
      ['the day before the last of February', { days_of_month: ['-1'] }, '2026-02-27T12:00:00Z', false],
      ['the last day of a leap February', { days_of_month: ['-1'] }, '2028-02-29T12:00:00Z', true],
      ['the last three days of April', { days_of_month: ['-3:-1'] }, '2026-04-28T00:00:00Z', true],
      ['before the last three days of April', { days_of_month: ['-3:-1'] }, '2026-04-27T23:59:00Z', false],
      ['a day range clamped to a short month', { days_of_month: ['25:31'] }, '2026-02-28T12:00:00Z', true],
      ['a day beyond the month', { days_of_month: ['31'] }, '2026-04-30T12:00:00Z', false],
      ['a numeric day as a YAML number', { days_of_month: [1] }, '2026-04-01T12:00:00Z', true],
      ['a month name range', { months: ['january:march', 'December'] }, '2026-02-10T00:00:00Z', true],
      ['a month name outside', { months: ['january:march'] }, '2026-04-01T00:00:00Z', false],
      ['a month number range', { months: ['6:8'] }, '2026-07-01T00:00:00Z', true],
      ['a month outside', { months: ['6:8'] }, '2026-09-01T00:00:00Z', false],
      ['a year range', { years: ['2025:2027'] }, '2026-01-01T00:00:00Z', true],
      ['a year outside', { years: ['2027'] }, '2026-12-31T23:59:59Z', false],
      ['all fields together', { times: [{ start_time: '08:00', end_time: '12:00' }], weekdays: ['wednesday'], months: ['march'], years: ['2026'] }, '2026-03-04T10:00:00Z', true],
      ['an empty interval', {}, '2026-03-04T10:00:00Z', true],
      ['a zone shifting the day', { weekdays: ['saturday'], location: 'Pacific/Auckland' }, '2026-03-06T12:00:00Z', true], // Fri 12:00Z = Sat 01:00 NZDT
    ])('should answer for %s', (_what, config, instant, expected) => {
      expect(TimeInterval.parse(config).contains(at(instant))).toBe(expected);
    });

    describe('in Europe/Berlin across the DST change on the last Sunday of March', () => {
      const morning = TimeInterval.parse({ times: [{ start_time: '02:00', end_time: '04:00' }], location: 'Europe/Berlin' });

      it('should use CET (+01:00) before the change', () => {
        expect(morning.contains(at('2026-03-28T01:30:00Z'))).toBe(true); // 02:30 CET
        expect(morning.contains(at('2026-03-28T03:00:00Z'))).toBe(false); // 04:00 CET
      });

      it('should jump from 02:00 to 03:00 on the day of the change', () => {
        expect(morning.contains(at('2026-03-29T00:59:00Z'))).toBe(false); // 01:59 CET
        expect(morning.contains(at('2026-03-29T01:00:00Z'))).toBe(true); // 03:00 CEST
        expect(morning.contains(at('2026-03-29T01:59:00Z'))).toBe(true); // 03:59 CEST
        expect(morning.contains(at('2026-03-29T02:00:00Z'))).toBe(false); // 04:00 CEST
      });

      it('should use CEST (+02:00) after the change', () => {
        expect(morning.contains(at('2026-03-30T00:30:00Z'))).toBe(true); // 02:30 CEST
        expect(morning.contains(at('2026-03-30T01:30:00Z'))).toBe(true); // 03:30 CEST
        expect(morning.contains(at('2026-03-30T02:00:00Z'))).toBe(false); // 04:00 CEST
      });

      it('should see the last day of March in local time', () => {
        const lastDay = TimeInterval.parse({ days_of_month: ['-1'], location: 'Europe/Berlin' });
        expect(lastDay.contains(at('2026-03-30T22:30:00Z'))).toBe(true); // 31 March 00:30 CEST
        expect(lastDay.contains(at('2026-03-30T21:30:00Z'))).toBe(false); // 30 March 23:30 CEST
      });
    });
  });

  describe('parse', () => {
    it.each<[TimeIntervalConfig, RegExp]>([
      [{ times: [{ start_time: '17:00', end_time: '09:00' }] }, /start time cannot be equal or greater/],
      [{ times: [{ start_time: '9:00', end_time: '17:00' }] }, /times\[0\]\.start_time/],
      [{ times: [{ start_time: '24:01', end_time: '24:00' }] }, /couldn't parse timestamp/],
      [{ weekdays: ['friday:monday'] }, /start day cannot be after end day/],
      [{ weekdays: ['funday'] }, /"funday" is not a valid weekday/],
      [{ days_of_month: ['0'] }, /out of range/],
      [{ days_of_month: ['-5:3'] }, /end day must be negative/],
      [{ days_of_month: ['10:-25'] }, /always before start day/],
      [{ months: ['13'] }, /out of range/],
      [{ months: ['may:april'] }, /before start month/],
      [{ years: ['2027:2025'] }, /before start year/],
      [{ location: 'Mars/Olympus' }, /unknown time zone/],
    ])('should reject %j', (config, message) => {
      expect(() => TimeInterval.parse(config)).toThrow(TimeIntervalConfigError);
      expect(() => TimeInterval.parse(config)).toThrow(message);
    });
  });
});

describe('route muting', () => {
  const named = parseTimeIntervals([
    { name: 'weekends', time_intervals: [{ weekdays: ['saturday', 'sunday'] }] },
    { name: 'office', time_intervals: [{ weekdays: ['monday:friday'], times: [{ start_time: '09:00', end_time: '17:00' }] }] },
  ]);
  const saturday = at('2026-03-07T12:00:00Z');
  const mondayNoon = at('2026-03-09T12:00:00Z');
  const mondayNight = at('2026-03-09T22:00:00Z');

  it('should be active when any interval of a name contains the instant', () => {
    expect(isActive(named.get('weekends') ?? [], saturday)).toBe(true);
    expect(isActive(named.get('weekends') ?? [], mondayNoon)).toBe(false);
  });

  it.each<[string[], string[], Date, boolean]>([
    [[], [], saturday, false],
    [['weekends'], [], saturday, true],
    [['weekends'], [], mondayNoon, false],
    [[], ['office'], mondayNoon, false],
    [[], ['office'], mondayNight, true],
    [['weekends'], ['office'], saturday, true],
  ])('mute %j, active %j at %s → muted %s', (mute, active, instant, expected) => {
    expect(isMuted({ muteTimeIntervals: mute, activeTimeIntervals: active }, named, instant)).toBe(expected);
  });

  it('should throw for an unknown interval name', () => {
    expect(() => isMuted({ muteTimeIntervals: ['holidays'], activeTimeIntervals: [] }, named, saturday)).toThrow(UnknownTimeIntervalError);
  });

  it('should reject a name defined twice', () => {
    expect(() => parseTimeIntervals([{ name: 'a', time_intervals: [] }, { name: 'a', time_intervals: [] }])).toThrow(/time_intervals\[1\]\.name/);
  });
});
