import type { FieldError } from '../common/app-error.js';
import { LABEL_NAME_RE } from './alert-ingest.parser.js';
import { type Labels, Matcher, MatcherParseError, MatchType, matchesAll } from './matchers.js';
import { type GettableSilence, type SilenceMatcher, type SilenceRecord, SilenceState } from './silence.types.js';

/**
 * Silences with Alertmanager's semantics (`silence/silence.go`): state by time, validation,
 * which alerts a silence mutes, and whether a posted silence updates the stored one in place
 * (`canUpdate`) or replaces it (the old one expires, the new one gets a new id).
 */

export function silenceState(s: Pick<SilenceRecord, 'startsAt' | 'endsAt'>, now: Date): SilenceState {
  if (now.getTime() < s.startsAt.getTime()) return SilenceState.Pending;
  if (now.getTime() >= s.endsAt.getTime()) return SilenceState.Expired;
  return SilenceState.Active;
}

export function toMatcher(m: SilenceMatcher): Matcher {
  const type = m.isRegex ? (m.isEqual ? MatchType.Regexp : MatchType.NotRegexp) : m.isEqual ? MatchType.Equal : MatchType.NotEqual;
  return new Matcher(type, m.name, m.value);
}

/** Faults of a silence's matchers and times (paths relative to the body); [] when valid. */
export function validateSilence(s: Pick<SilenceRecord, 'matchers' | 'startsAt' | 'endsAt'>, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (s.matchers.length === 0) errors.push({ path: 'matchers', message: 'at least one matcher is required' });
  let allMatchEmpty = true;
  s.matchers.forEach((m, i) => {
    if (!LABEL_NAME_RE.test(m.name)) {
      errors.push({ path: `matchers[${i}].name`, message: `invalid label name "${m.name}"` });
      return;
    }
    try {
      const matcher = toMatcher(m);
      allMatchEmpty = allMatchEmpty && matcher.matchesValue('');
    } catch (err) {
      errors.push({ path: `matchers[${i}].value`, message: err instanceof MatcherParseError ? err.message : String(err) });
    }
  });
  if (s.matchers.length > 0 && allMatchEmpty && errors.length === 0) {
    errors.push({ path: 'matchers', message: 'at least one matcher must not match the empty string' });
  }
  if (s.endsAt.getTime() <= s.startsAt.getTime()) errors.push({ path: 'endsAt', message: 'start time must be before end time' });
  if (s.endsAt.getTime() < now.getTime()) errors.push({ path: 'endsAt', message: "end time can't be in the past" });
  return errors;
}

function sameMatchers(a: readonly SilenceMatcher[], b: readonly SilenceMatcher[]): boolean {
  return a.length === b.length && a.every((m, i) => m.name === b[i].name && m.value === b[i].value && m.isRegex === b[i].isRegex && m.isEqual === b[i].isEqual);
}

/** Alertmanager's `canUpdate`: the stored silence may take the new values under its own id. */
export function canUpdateInPlace(prev: SilenceRecord, next: Pick<SilenceRecord, 'matchers' | 'startsAt' | 'endsAt'>, now: Date): boolean {
  if (!sameMatchers(prev.matchers, next.matchers)) return false;
  switch (silenceState(prev, now)) {
    case SilenceState.Active:
      return next.startsAt.getTime() === prev.startsAt.getTime() && next.endsAt.getTime() >= now.getTime();
    case SilenceState.Pending:
      return next.startsAt.getTime() >= now.getTime();
    case SilenceState.Expired:
      return false;
  }
}

/** A silence ready to match label sets. */
export class CompiledSilence {
  private readonly matchers: Matcher[];

  constructor(readonly silence: SilenceRecord) {
    this.matchers = silence.matchers.map(toMatcher);
  }

  matches(labels: Labels): boolean {
    return matchesAll(this.matchers, labels);
  }
}

/** Ids of the silences (active at `now`) that mute a label set, in the given order. */
export function silencedBy(silences: readonly CompiledSilence[], labels: Labels, now: Date): string[] {
  return silences.filter((s) => silenceState(s.silence, now) === SilenceState.Active && s.matches(labels)).map((s) => s.silence.id);
}

export function toGettableSilence(s: SilenceRecord, now: Date): GettableSilence {
  return {
    id: s.id,
    matchers: s.matchers,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    createdBy: s.createdBy,
    comment: s.comment,
    updatedAt: s.updatedAt.toISOString(),
    status: { state: silenceState(s, now) },
  };
}
