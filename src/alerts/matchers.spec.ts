import fc from 'fast-check';
import {
  MatchType,
  Matcher,
  MatcherParseError,
  matchersFromLegacy,
  matchersToString,
  matchesAll,
  parseMatcher,
  parseMatchers,
  sortMatchers,
} from './matchers.js';

describe(Matcher.name, () => {
  describe('matches', () => {
    it.each<[MatchType, string, Record<string, string>, boolean]>([
      [MatchType.Equal, 'critical', { severity: 'critical' }, true],
      [MatchType.Equal, 'critical', { severity: 'warning' }, false],
      [MatchType.Equal, '', {}, true],
      [MatchType.NotEqual, 'critical', {}, true],
      [MatchType.NotEqual, '', {}, false],
      [MatchType.Regexp, 'crit.*', { severity: 'critical' }, true],
      [MatchType.Regexp, 'crit', { severity: 'critical' }, false],
      [MatchType.Regexp, 'a|b', { severity: 'b' }, true],
      [MatchType.Regexp, 'a|b', { severity: 'ab' }, false],
      [MatchType.Regexp, '.*', {}, true],
      [MatchType.Regexp, '.+', {}, false],
      [MatchType.NotRegexp, '.+', {}, true],
      [MatchType.NotRegexp, 'warn.*', { severity: 'critical' }, true],
      [MatchType.Regexp, '.*', { severity: 'a\nb' }, false],
      [MatchType.Regexp, '(?s).*', { severity: 'a\nb' }, true],
      [MatchType.Regexp, '\\p{Greek}+', { severity: 'αβγ' }, true],
    ])('should match %s %j against %j as %s', (type, value, labels, expected) => {
      expect(new Matcher(type, 'severity', value).matches(labels)).toBe(expected);
    });

    it('should not read labels from the object prototype', () => {
      expect(new Matcher(MatchType.Equal, 'constructor', '').matches({})).toBe(true);
    });
  });

  describe('constructor', () => {
    it('should throw a MatcherParseError naming the regex error when the regex is invalid', () => {
      expect(() => new Matcher(MatchType.Regexp, 'job', '(a')).toThrow(MatcherParseError);
      expect(() => new Matcher(MatchType.Regexp, 'job', '(a')).toThrow(/missing closing \)/);
    });

    it('should reject Perl lookaheads that RE2 does not support', () => {
      expect(() => new Matcher(MatchType.Regexp, 'job', '(?=a)a')).toThrow(MatcherParseError);
    });
  });

  describe('toString', () => {
    it.each([
      [new Matcher(MatchType.Equal, 'a', 'b'), 'a="b"'],
      [new Matcher(MatchType.NotRegexp, 'a', 'x.*'), 'a!~"x.*"'],
      [new Matcher(MatchType.Equal, 'a', 'say "hi"\n\\'), 'a="say \\"hi\\"\\n\\\\"'],
      [new Matcher(MatchType.Equal, 'my label', 'v'), '"my label"="v"'],
    ])('should print %s as %s', (m, expected) => {
      expect(m.toString()).toBe(expected);
    });
  });

  it('should never match both a matcher and its negation (property)', () => {
    const ops = fc.constantFrom<[MatchType, MatchType]>([MatchType.Equal, MatchType.NotEqual], [MatchType.Regexp, MatchType.NotRegexp]);
    const value = fc.oneof(fc.constantFrom('a', 'a.*', '.*', 'b|c', '[a-c]+', ''), fc.string({ maxLength: 4 }).map((s) => s.replace(/[\\()[\]{}*+?|^$.]/g, '')));
    fc.assert(
      fc.property(ops, value, fc.option(fc.string({ maxLength: 5 }), { nil: undefined }), ([pos, neg], v, labelValue) => {
        const labels: Record<string, string> = labelValue === undefined ? {} : { l: labelValue };
        const a = new Matcher(pos, 'l', v).matches(labels);
        const b = new Matcher(neg, 'l', v).matches(labels);
        expect(a).toBe(!b);
      }),
    );
  });
});

describe(parseMatcher.name, () => {
  it.each<[string, string, MatchType, string]>([
    ['severity="critical"', 'severity', MatchType.Equal, 'critical'],
    ['severity=critical', 'severity', MatchType.Equal, 'critical'],
    ['  severity  !=  "warn"  ', 'severity', MatchType.NotEqual, 'warn'],
    ['job=~"api|web"', 'job', MatchType.Regexp, 'api|web'],
    ['job!~api.*', 'job', MatchType.NotRegexp, 'api.*'],
    ['msg="a \\"quoted\\" word"', 'msg', MatchType.Equal, 'a "quoted" word'],
    ['msg="line\\nbreak"', 'msg', MatchType.Equal, 'line\nbreak'],
    ['msg="back\\\\slash"', 'msg', MatchType.Equal, 'back\\slash'],
    ['msg="tab\\there"', 'msg', MatchType.Equal, 'tab\there'],
    ['msg="\\u00e9t\\u00e9"', 'msg', MatchType.Equal, 'été'],
    ['"label with space"="x"', 'label with space', MatchType.Equal, 'x'],
    ['ünïcode="☃"', 'ünïcode', MatchType.Equal, '☃'],
    ['foo=', 'foo', MatchType.Equal, ''],
    ['foo=""', 'foo', MatchType.Equal, ''],
    // classic-only forms, accepted through the fallback
    ['foo=bar baz', 'foo', MatchType.Equal, 'bar baz'],
    ['foo="a,b"', 'foo', MatchType.Equal, 'a,b'],
    ['foo=~"[a-z]+ [0-9]"', 'foo', MatchType.Regexp, '[a-z]+ [0-9]'],
    ['foo="\\d+"', 'foo', MatchType.Equal, '\\d+'],
    ['a:b="c"', 'a:b', MatchType.Equal, 'c'],
    ['foo=!bar', 'foo', MatchType.Equal, '!bar'],
  ])('should parse %s', (input, name, type, value) => {
    const m = parseMatcher(input);
    expect({ name: m.name, type: m.type, value: m.value }).toEqual({ name, type, value });
  });

  it.each<[string, RegExp]>([
    ['foo', /^invalid matcher "foo": expected an operator \(=, !=, =~, !~\)/],
    ['', /expected a label name/],
    ['{foo="bar"}', /brace/],
    ['foo="bar', /invalid matcher "foo=\\"bar"|double quote/],
    ['foo=~"(a"', /missing closing \)/],
    ['a="b",c="d"', /expected 1 matcher/],
    ['=bar', /label name/],
    ['foo="a" bar="b"', /invalid matcher/],
  ])('should reject %s with a readable message', (input, message) => {
    expect(() => parseMatcher(input)).toThrow(MatcherParseError);
    expect(() => parseMatcher(input)).toThrow(message);
  });
});

describe(parseMatchers.name, () => {
  const str = (input: string): string => parseMatchers(input).map(String).join(' ');

  it.each<[string, string]>([
    ['{a="b", c=~"d.*"}', 'a="b" c=~"d.*"'],
    ['a="b",c=~"d.*"', 'a="b" c=~"d.*"'],
    ['{foo = "bar", dings != "bums", }', 'foo="bar" dings!="bums"'],
    ['foo=bar,dings!=bums', 'foo="bar" dings!="bums"'],
    ['{quote="She said: \\"Hi, ladies!\\""}', 'quote="She said: \\"Hi, ladies!\\""'],
    ['statuscode=~"5.."', 'statuscode=~"5.."'],
    ['{}', ''],
    ['', ''],
    ['{a="x,y"}', 'a="x,y"'],
    ['a=b c, d=e', 'a="b c" d="e"'],
    // as Alertmanager's classic parser, an unbalanced brace is trimmed rather than rejected
    ['{a="b"', 'a="b"'],
  ])('should parse %s', (input, expected) => {
    expect(str(input)).toBe(expected);
  });

  it.each(['a="b" c="d"', 'a="b",,c="d"', '{a=~"("}'])('should reject %s', (input) => {
    expect(() => parseMatchers(input)).toThrow(MatcherParseError);
  });
});

describe(matchersFromLegacy.name, () => {
  it('should turn match into equality and match_re into regex matchers', () => {
    const ms = matchersFromLegacy({ service: 'api' }, { severity: 'crit|warn' });
    expect(ms.map(String)).toEqual(['service="api"', 'severity=~"crit|warn"']);
    expect(matchesAll(ms, { service: 'api', severity: 'warn' })).toBe(true);
    expect(matchesAll(ms, { service: 'api', severity: 'warning' })).toBe(false);
  });

  it('should accept missing maps', () => {
    expect(matchersFromLegacy()).toEqual([]);
  });
});

describe(sortMatchers.name, () => {
  it('should order by name, then value, then type', () => {
    const ms = sortMatchers(parseMatchers('b="1", a=~"x", a="x", a="w"'));
    expect(matchersToString(ms)).toBe('{a="w",a="x",a=~"x",b="1"}');
  });
});
