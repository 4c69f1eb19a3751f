import { parse as parseYaml } from 'yaml';
import type { RouteConfig } from '../../src/alerts/route.js';

/**
 * Routing configurations and generated label sets for differential tests: the same cases can
 * be run through Alertmanager's `amtool config routes test`, through `Route.match`, and (later)
 * through Tocsin's `POST /api/v1/routes/test`.
 */
export interface RoutingCase {
  name: string;
  /** A complete Alertmanager config file (route + receivers). */
  yaml: string;
  /** Label names and values the generator draws from (values near the matchers' edges). */
  vocabulary: Record<string, readonly string[]>;
}

const receivers = (...names: string[]): string => `receivers:\n${names.map((n) => `  - name: ${n}`).join('\n')}\n`;

export const ROUTING_CASES: readonly RoutingCase[] = [
  {
    name: 'nested routes with continue and regex matchers',
    yaml: `route:
  receiver: default
  group_by: [alertname]
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
      continue: true
      routes:
        - matchers: ['team="db"']
          receiver: db-pager
        - matchers: ['team=~"front.*"', 'env!="staging"']
          receiver: frontend-pager
          continue: true
        - matchers: ['env="prod"']
          receiver: prod-pager
    - match_re:
        service: api|web
      receiver: web
      routes:
        - match:
            env: prod
          receiver: web-prod
    - matchers: ['severity=~"warn(ing)?"', 'team!~"db|infra"']
      receiver: warnings
      continue: true
    - matchers: ['alertname=~".+"']
      receiver: named
${receivers('default', 'pager', 'db-pager', 'frontend-pager', 'prod-pager', 'web', 'web-prod', 'warnings', 'named')}`,
    vocabulary: {
      severity: ['critical', 'warning', 'warn', 'info', 'Critical', 'critical '],
      team: ['db', 'frontend', 'front', 'frontend-web', 'infra', 'dba', 'platform'],
      env: ['prod', 'staging', 'dev', 'production'],
      service: ['api', 'web', 'api-gw', 'webapp', 'API', 'batch'],
      alertname: ['HighLatency', 'DiskFull', 'x'],
    },
  },
  {
    name: 'continue chains and negative matchers',
    yaml: `route:
  receiver: root
  routes:
    - matchers: ['env!="prod"']
      receiver: non-prod
      continue: true
    - matchers: ['region=~"eu-.*"']
      receiver: eu
      continue: true
      routes:
        - matchers: ['region="eu-west-1"', 'severity!~"info|debug"']
          receiver: eu-west
          continue: true
        - matchers: ['severity=""']
          receiver: eu-unlabelled
    - matchers: ['region!~"eu-.*|us-.*"']
      receiver: elsewhere
    - matchers: ['severity="critical"']
      receiver: critical
      continue: true
    - receiver: last-resort
      matchers: ['env=~"prod|staging"']
${receivers('root', 'non-prod', 'eu', 'eu-west', 'eu-unlabelled', 'elsewhere', 'critical', 'last-resort')}`,
    vocabulary: {
      env: ['prod', 'staging', 'dev', 'prod2'],
      region: ['eu-west-1', 'eu-central-1', 'us-east-1', 'ap-south-1', 'eu', 'EU-west-1'],
      severity: ['critical', 'info', 'debug', 'warning'],
      team: ['a', 'b'],
    },
  },
  {
    name: 'legacy match and match_re with anchoring and quoting',
    yaml: `route:
  receiver: fallback
  routes:
    - match:
        service: payments
        team: billing
      receiver: billing
    - match_re:
        service: ^pay.*$
      receiver: pay-prefix
      continue: true
    - match_re:
        instance: "db-[0-9]+:9100"
        job: node|mysqld
      receiver: db-hosts
    - match_re:
        service: pay|auth
      receiver: short-names
    - matchers: ['msg="disk full, act now"']
      receiver: quoted-comma
    - matchers: ['msg=~"needs \\"quotes\\".*"']
      receiver: quoted-quote
    - matchers: ['{job="blackbox", probe=~"http|icmp"}']
      receiver: braces
    - match_re:
        alertname: ".*Down"
      receiver: down
${receivers('fallback', 'billing', 'pay-prefix', 'db-hosts', 'short-names', 'quoted-comma', 'quoted-quote', 'braces', 'down')}`,
    vocabulary: {
      service: ['payments', 'pay', 'auth', 'paypal', 'repay', 'authz'],
      team: ['billing', 'platform'],
      instance: ['db-1:9100', 'db-12:9100', 'db-x:9100', 'db-1:9100x', 'web-1:9100'],
      job: ['node', 'mysqld', 'nodes', 'blackbox', 'node|mysqld'],
      probe: ['http', 'icmp', 'tcp', 'https'],
      msg: ['disk full, act now', 'disk full', 'needs "quotes" here', 'needs quotes'],
      alertname: ['InstanceDown', 'Down', 'DownScale', 'HostUp'],
    },
  },
];

/** The `route` section of a case, as the config loader hands it to buildRouteTree. */
export function routeConfigOf(c: RoutingCase): RouteConfig {
  const doc = parseYaml(c.yaml) as { route: RouteConfig };
  return doc.route;
}

/** A small seeded PRNG (mulberry32), so every run draws the same label sets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` label sets: each vocabulary label present with probability 0.6, plus an occasional unrelated label. */
export function generateLabelSets(c: RoutingCase, count: number, seed: number): Record<string, string>[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const out: Record<string, string>[] = [];
  for (let i = 0; i < count; i++) {
    const labels: Record<string, string> = {};
    for (const [name, values] of Object.entries(c.vocabulary)) {
      if (rand() < 0.6) labels[name] = pick(values);
    }
    if (rand() < 0.2) labels.instance_extra = `host-${Math.floor(rand() * 100)}`;
    out.push(labels);
  }
  return out;
}

/** Label sets posted to the real Alertmanager: plain, unicode, escapes, many labels, prefix-sharing names. */
export function fingerprintLabelSets(): Record<string, string>[] {
  const sets: Record<string, string>[] = [
    { alertname: 'HighLatency' },
    { alertname: 'DiskFull', instance: 'db-1:9100', job: 'node', severity: 'critical' },
    { alertname: 'Unicode', city: 'Zürich', snow: '☃', emoji: '🔥🚒', cjk: '日本語のラベル', rtl: 'שלום' },
    { alertname: 'Escapes', quote: 'say "hi"', backslash: 'C:\\temp\\x', newline: 'line1\nline2', tab: 'a\tb' },
    { alertname: 'Spaces', nbsp: 'a\u00a0b', lead: ' padded ', control: 'bell\u0007' },
    { alertname: 'Prefixes', a: '1', a1: '2', a_b: '3', aB: '4', A: '5', _x: '6' },
    { alertname: 'Long', value: 'x'.repeat(500) },
    { alertname: 'Empty', dropped: '' },
  ];
  for (let i = 0; i < 30; i++) {
    sets.push({ alertname: `Generated${i % 7}`, instance: `host-${i}.example.com:9100`, severity: ['critical', 'warning', 'info'][i % 3], shard: String(i * 7919), ...(i % 4 === 0 ? { team: 'Ωmega' } : {}) });
  }
  return sets;
}
