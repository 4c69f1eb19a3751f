import { fingerprint } from './fingerprint.js';
import { type Labels, Matcher, MatcherParseError, MatchType, labelValue, matchesAll, parseMatchers } from './matchers.js';

/**
 * Inhibition with Alertmanager's semantics (`inhibit/inhibit.go`).
 *
 * A firing alert S inhibits an alert T under a rule when
 * - T matches the rule's target matchers,
 * - S matches the rule's source matchers and is firing,
 * - every label named in `equal` has the same value on S and T (a label missing on both
 *   counts as equal: both are ''),
 * - and, when T itself also matches the source matchers, S does not match the target
 *   matchers: an alert that is both source and target is only inhibited by sources that are
 *   not themselves targets (so two such alerts never inhibit each other, and an alert never
 *   inhibits itself).
 *
 * Alertmanager records only the first inhibiting source (first rule, then first source found);
 * `inhibitedBy` returns every inhibiting source, in rule order then the order the firing alerts
 * were given, without duplicates — its first element is the one Alertmanager would record.
 */
export interface InhibitRuleConfig {
  source_matchers?: readonly string[] | null;
  target_matchers?: readonly string[] | null;
  source_match?: Readonly<Record<string, string>> | null;
  source_match_re?: Readonly<Record<string, string>> | null;
  target_match?: Readonly<Record<string, string>> | null;
  target_match_re?: Readonly<Record<string, string>> | null;
  equal?: readonly string[] | null;
}

export interface SourceAlert {
  fingerprint: string;
  labels: Labels;
}

export class InhibitRuleConfigError extends Error {
  override readonly name = 'InhibitRuleConfigError';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

function sideMatchers(
  equalMap: Readonly<Record<string, string>> | null | undefined,
  reMap: Readonly<Record<string, string>> | null | undefined,
  lines: readonly string[] | null | undefined,
  path: string,
  side: 'source' | 'target',
): Matcher[] {
  const out: Matcher[] = [];
  const wrap = (p: string, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      if (err instanceof MatcherParseError) throw new InhibitRuleConfigError(p, err.message);
      throw err;
    }
  };
  for (const [n, v] of Object.entries(equalMap ?? {})) wrap(`${path}.${side}_match.${n}`, () => out.push(new Matcher(MatchType.Equal, n, String(v))));
  for (const [n, v] of Object.entries(reMap ?? {})) wrap(`${path}.${side}_match_re.${n}`, () => out.push(new Matcher(MatchType.Regexp, n, String(v))));
  (lines ?? []).forEach((line, i) => wrap(`${path}.${side}_matchers[${i}]`, () => out.push(...parseMatchers(String(line)))));
  return out;
}

export class InhibitRule {
  constructor(
    readonly sourceMatchers: readonly Matcher[],
    readonly targetMatchers: readonly Matcher[],
    readonly equal: readonly string[],
  ) {}

  /** From one `inhibit_rules` entry (new `*_matchers` and legacy `*_match` / `*_match_re` forms, combined). */
  static fromConfig(config: InhibitRuleConfig, path = 'inhibit_rules[0]'): InhibitRule {
    return new InhibitRule(
      sideMatchers(config.source_match, config.source_match_re, config.source_matchers, path, 'source'),
      sideMatchers(config.target_match, config.target_match_re, config.target_matchers, path, 'target'),
      [...new Set(config.equal ?? [])],
    );
  }

  private sameOnEqual(a: Labels, b: Labels): boolean {
    for (const name of this.equal) if (labelValue(a, name) !== labelValue(b, name)) return false;
    return true;
  }

  /** Sources (already known to match the source side) that inhibit `target` under this rule. */
  inhibitingSources(target: Labels, targetFingerprint: string, sources: readonly SourceAlert[]): SourceAlert[] {
    if (!matchesAll(this.targetMatchers, target)) return [];
    const excludeTwoSided = matchesAll(this.sourceMatchers, target);
    return sources.filter(
      (s) =>
        s.fingerprint !== targetFingerprint &&
        this.sameOnEqual(s.labels, target) &&
        !(excludeTwoSided && matchesAll(this.targetMatchers, s.labels)),
    );
  }
}

export class Inhibitor {
  readonly rules: readonly InhibitRule[];

  constructor(rules: readonly (InhibitRule | InhibitRuleConfig)[]) {
    this.rules = rules.map((r, i) => (r instanceof InhibitRule ? r : InhibitRule.fromConfig(r, `inhibit_rules[${i}]`)));
  }

  /**
   * Prepares the firing alerts once (which of them are sources of which rule) and returns a
   * function answering `inhibitedBy` for many targets.
   */
  prepare(firingAlerts: readonly SourceAlert[]): (targetLabels: Labels) => string[] {
    const sourcesPerRule = this.rules.map((rule) => firingAlerts.filter((a) => matchesAll(rule.sourceMatchers, a.labels)));
    return (targetLabels) => {
      const fp = fingerprint(targetLabels);
      const out = new Set<string>();
      this.rules.forEach((rule, i) => {
        if (sourcesPerRule[i].length === 0) return;
        for (const s of rule.inhibitingSources(targetLabels, fp, sourcesPerRule[i])) out.add(s.fingerprint);
      });
      return [...out];
    };
  }

  /** Fingerprints of the firing alerts that inhibit an alert with `targetLabels`; [] when none. */
  inhibitedBy(targetLabels: Labels, firingAlerts: readonly SourceAlert[]): string[] {
    return this.prepare(firingAlerts)(targetLabels);
  }

  /** Whether any firing alert inhibits the target (Alertmanager's `Inhibitor.Mutes`). */
  mutes(targetLabels: Labels, firingAlerts: readonly SourceAlert[]): boolean {
    return this.inhibitedBy(targetLabels, firingAlerts).length > 0;
  }
}
