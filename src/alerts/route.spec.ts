import { createHash } from 'node:crypto';
import { Route, RouteConfigError, buildRouteTree, groupKey, groupLabels, hashGroupKey, labelSetString, matchReceivers } from './route.js';

const tree = buildRouteTree({
  receiver: 'default',
  group_by: ['alertname'],
  group_wait: '10s',
  routes: [
    {
      matchers: ['severity="critical"'],
      receiver: 'pager',
      continue: true,
      group_interval: '1m',
      routes: [{ match: { team: 'db' }, receiver: 'db-pager', group_by: ['...'] }],
    },
    { match_re: { service: 'api|web' }, receiver: 'web', group_by: [] },
    { matchers: ['service="batch", env!~"dev|test"'], receiver: 'batch', repeat_interval: '1h', mute_time_intervals: ['nights'] },
    { receiver: 'catch-all-child', matchers: ['service=~".+"'] },
  ],
});

describe(Route.name, () => {
  describe('match', () => {
    it.each<[Record<string, string>, string[]]>([
      [{}, ['default']],
      [{ severity: 'critical' }, ['pager']],
      [{ severity: 'critical', team: 'db' }, ['db-pager']],
      [{ severity: 'critical', service: 'api' }, ['pager', 'web']],
      [{ severity: 'critical', team: 'db', service: 'web' }, ['db-pager', 'web']],
      [{ service: 'web' }, ['web']],
      [{ service: 'webx' }, ['catch-all-child']],
      [{ service: 'batch', env: 'prod' }, ['batch']],
      [{ service: 'batch', env: 'dev' }, ['catch-all-child']],
      [{ service: 'batch' }, ['batch']],
    ])('should route %j to %j', (labels, receivers) => {
      expect(matchReceivers(tree, labels)).toEqual(receivers);
    });

    it('should return no route when the root matchers fail', () => {
      expect(tree.routes[0].match({ severity: 'warning' })).toEqual([]);
    });
  });

  describe('options', () => {
    it('should inherit timing and grouping and override what a child sets', () => {
      const [pager, web, batch] = tree.routes;
      expect(tree.groupWaitMs).toBe(10_000);
      expect(tree.groupIntervalMs).toBe(300_000);
      expect(tree.repeatIntervalMs).toBe(4 * 3600_000);
      expect(pager.groupIntervalMs).toBe(60_000);
      expect(pager.groupWaitMs).toBe(10_000);
      expect(pager.routes[0].groupIntervalMs).toBe(60_000);
      expect(pager.routes[0].groupByAll).toBe(true);
      expect(web.groupBy).toEqual(['alertname']); // `group_by: []` inherits, as in Alertmanager
      expect(batch.repeatIntervalMs).toBe(3600_000);
    });

    it('should not inherit mute_time_intervals', () => {
      expect(tree.routes[2].muteTimeIntervals).toEqual(['nights']);
      expect(tree.routes[3].muteTimeIntervals).toEqual([]);
    });
  });

  describe('key and id', () => {
    it.each<[() => Route, string, string]>([
      [() => tree, '{}', '{}'],
      [() => tree.routes[0], '{}/{severity="critical"}', '{}/{severity="critical"}/0'],
      [() => tree.routes[0].routes[0], '{}/{severity="critical"}/{team="db"}', '{}/{severity="critical"}/{team="db"}/0'],
      [() => tree.routes[1], '{}/{service=~"api|web"}', '{}/{service=~"api|web"}/1'],
      [() => tree.routes[2], '{}/{env!~"dev|test",service="batch"}', '{}/{env!~"dev|test",service="batch"}/2'],
    ])('should build Alertmanager keys (%#)', (route, key, id) => {
      expect(route().key()).toBe(key);
      expect(route().id()).toBe(id);
    });
  });
});

describe(buildRouteTree.name, () => {
  it.each<[object, string]>([
    [{ routes: [] }, 'route.receiver: root route must specify a default receiver'],
    [{ receiver: 'a', matchers: ['a="b"'] }, 'route: root route must not have any matchers'],
    [{ receiver: 'a', routes: [{ matchers: ['a=~"("'] }] }, 'route.routes[0].matchers[0]'],
    [{ receiver: 'a', routes: [{ group_wait: 'soon' }] }, 'route.routes[0].group_wait'],
    [{ receiver: 'a', group_interval: '0s' }, 'route.group_interval: cannot be zero'],
    [{ receiver: 'a', group_by: ['...', 'x'] }, 'route.group_by'],
    [{ receiver: 'a', group_by: ['x', 'x'] }, 'duplicated label "x"'],
  ])('should reject %j', (config, message) => {
    expect(() => buildRouteTree(config)).toThrow(RouteConfigError);
    expect(() => buildRouteTree(config)).toThrow(message);
  });

  it('should use the given defaults for the root', () => {
    const root = buildRouteTree({ receiver: 'x' }, { groupWaitMs: 0 });
    expect(root.groupWaitMs).toBe(0);
    expect(root.groupIntervalMs).toBe(300_000);
  });
});

describe('grouping', () => {
  it('should keep only the group_by labels the alert has', () => {
    expect(groupLabels(tree, { alertname: 'A', instance: 'i' })).toEqual({ alertname: 'A' });
    expect(groupLabels(tree, { instance: 'i' })).toEqual({});
    expect(groupLabels(tree.routes[0].routes[0], { a: '1', b: '2' })).toEqual({ a: '1', b: '2' });
  });

  it.each<[Record<string, string>, string]>([
    [{}, '{}'],
    [{ b: '2', a: '1' }, '{a="1", b="2"}'],
    [{ a: 'x', a1: 'y' }, '{a1="y", a="x"}'], // sorted as whole `name="value"` strings
    [{ m: 'say "hi"\n\t\u0001 ☃ \u00a0' }, '{m="say \\"hi\\"\\n\\t\\x01 ☃ \\u00a0"}'],
  ])('should print %j the way Go prints a label set', (labels, expected) => {
    expect(labelSetString(labels)).toBe(expected);
  });

  it('should build the group key from the route key and the group labels', () => {
    const route = tree.routes[0];
    expect(groupKey(route, { alertname: 'DiskFull', severity: 'critical' })).toBe('{}/{severity="critical"}:{alertname="DiskFull"}');
  });

  it('should hash the group key with SHA-256', () => {
    const key = '{}:{alertname="X"}';
    expect(hashGroupKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashGroupKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });
});
