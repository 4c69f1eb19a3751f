import { fingerprint } from './fingerprint.js';
import { InhibitRuleConfigError, Inhibitor, type SourceAlert } from './inhibit.js';

const alert = (labels: Record<string, string>): SourceAlert => ({ fingerprint: fingerprint(labels), labels });

describe(Inhibitor.name, () => {
  describe('inhibitedBy', () => {
    const inhibitor = new Inhibitor([
      { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'cluster'] },
    ]);
    const critical = alert({ alertname: 'Down', cluster: 'eu', severity: 'critical' });

    it.each<[string, Record<string, string>, SourceAlert[], string[]]>([
      ['a matching warning', { alertname: 'Down', cluster: 'eu', severity: 'warning' }, [critical], [critical.fingerprint]],
      ['a warning in another cluster', { alertname: 'Down', cluster: 'us', severity: 'warning' }, [critical], []],
      ['an alert that is not a target', { alertname: 'Down', cluster: 'eu', severity: 'info' }, [critical], []],
      ['a warning with no firing source', { alertname: 'Down', cluster: 'eu', severity: 'warning' }, [], []],
    ])('should answer for %s', (_what, target, firing, expected) => {
      expect(inhibitor.inhibitedBy(target, firing)).toEqual(expected);
    });

    it('should treat an equal label missing on both sides as equal', () => {
      const source = alert({ alertname: 'Down', severity: 'critical' });
      expect(inhibitor.inhibitedBy({ alertname: 'Down', severity: 'warning' }, [source])).toEqual([source.fingerprint]);
    });

    it('should not treat a label missing on one side as equal', () => {
      const source = alert({ alertname: 'Down', severity: 'critical' });
      expect(inhibitor.inhibitedBy({ alertname: 'Down', cluster: 'eu', severity: 'warning' }, [source])).toEqual([]);
    });

    it('should list every inhibiting source', () => {
      const other = alert({ alertname: 'Down', cluster: 'eu', severity: 'critical', instance: 'b' });
      const target = { alertname: 'Down', cluster: 'eu', severity: 'warning' };
      expect(inhibitor.inhibitedBy(target, [critical, other])).toEqual([critical.fingerprint, other.fingerprint]);
    });
  });

  describe('alerts matching both sides', () => {
    // every alert with `kind=x` is both a source and a target
    const inhibitor = new Inhibitor([{ source_matchers: ['kind="x"'], target_matchers: ['kind=~"x|y"'], equal: ['group'] }]);

    it('should never let an alert inhibit itself', () => {
      const a = alert({ kind: 'x', group: 'g' });
      expect(inhibitor.inhibitedBy(a.labels, [a])).toEqual([]);
    });

    it('should not let two-sided alerts inhibit each other', () => {
      const a = alert({ kind: 'x', group: 'g', n: '1' });
      const b = alert({ kind: 'x', group: 'g', n: '2' });
      expect(inhibitor.inhibitedBy(a.labels, [a, b])).toEqual([]);
    });

    it('should still inhibit a pure target', () => {
      const a = alert({ kind: 'x', group: 'g' });
      expect(inhibitor.inhibitedBy({ kind: 'y', group: 'g' }, [a])).toEqual([a.fingerprint]);
    });

    it('should let a source that is not a target inhibit a two-sided alert', () => {
      const rule = new Inhibitor([{ source_matchers: ['sev=~"crit|high"'], target_matchers: ['sev=~"high|low"'] }]);
      const crit = alert({ sev: 'crit' });
      const high = alert({ sev: 'high' });
      expect(rule.inhibitedBy(high.labels, [crit, high])).toEqual([crit.fingerprint]);
    });
  });

  describe('legacy rule form', () => {
    it('should combine source_match, source_match_re and target_match', () => {
      const inhibitor = new Inhibitor([{ source_match: { severity: 'critical' }, source_match_re: { service: 'api|web' }, target_match: { severity: 'warning' }, equal: ['service'] }]);
      const src = alert({ severity: 'critical', service: 'api' });
      expect(inhibitor.inhibitedBy({ severity: 'warning', service: 'api' }, [src])).toEqual([src.fingerprint]);
      const notSource = alert({ severity: 'critical', service: 'batch' });
      expect(inhibitor.inhibitedBy({ severity: 'warning', service: 'batch' }, [notSource])).toEqual([]);
    });
  });

  it('should report a bad matcher with its config path', () => {
    expect(() => new Inhibitor([{ source_matchers: ['a="b"'] }, { target_matchers: ['x=~"("'] }])).toThrow(InhibitRuleConfigError);
    expect(() => new Inhibitor([{ source_matchers: ['a="b"'] }, { target_matchers: ['x=~"("'] }])).toThrow(/^inhibit_rules\[1\]\.target_matchers\[0\]/);
  });
});
