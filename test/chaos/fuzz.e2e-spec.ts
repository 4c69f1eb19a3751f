/**
 * 10,000 generated malformed or hostile payloads against every ingest route: random JSON, wrong
 * types, huge and unicode labels, NUL and lone surrogates, deep nesting, invalid UTF-8 bytes,
 * duplicate keys, prototype keys, numbers as labels, null and empty bodies, wrong content types,
 * truncated JSON. Every alert the generator makes carries `fz_run` (this run) and `fz_kind`
 * (`valid`, `bad` for one SPEC §3 rejects, `unparsed` for one inside a body that cannot be
 * read), so the database and the sink can be checked afterwards:
 * no 5xx; every 4xx is problem+json, with `errors` naming exactly the rejected alerts of a
 * well-formed batch; no `bad` or `unparsed` alert is stored or sent; every valid alert of an
 * accepted or mixed batch is stored and delivered exactly once.
 */
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startWebhookSinkDouble, type WebhookSinkDouble, type WebhookV4Payload } from '../doubles/webhook-sink.double.js';
import { startTestApp, type TestApp } from '../setup/app.js';
import { waitFor } from '../setup/process.js';

const REQUESTS = 10_000;
const CONCURRENCY = 16;
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const MIB = 1024 * 1024;

enum Route {
  V2 = '/api/v2/alerts',
  V1 = '/api/v1/alerts',
  Webhook = '/api/v1/webhooks/alertmanager',
}

enum Kind {
  Valid = 'valid',
  Bad = 'bad',
  Unparsed = 'unparsed',
}

/** What the reply must be. */
enum Expect {
  /** A well-formed batch: 2xx when every alert is valid, else 400 naming exactly the bad indices; the valid ones are kept. */
  Batch = 'batch',
  /** A body that cannot be read as a batch: 4xx, nothing kept. */
  Rejected = 'rejected',
  /** Anything but a 5xx (random JSON, which may even be `[]`). */
  Any = 'any',
}

interface Case {
  category: string;
  route: Route;
  contentType: string | null;
  body: string | Uint8Array;
  expect: Expect;
  /** Indices of the rejected alerts (Expect.Batch). */
  badIndices: number[];
  /** Alert names this request carries, with their kind. */
  alerts: { name: string; kind: Kind }[];
}

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED = new Set(['alertname', 'fz_run', 'fz_kind', '__proto__', 'constructor', 'prototype']);

// ---------------------------------------------------------------- alert specs

type Defect =
  | { t: 'labelName'; name: string }
  | { t: 'labelValue'; value: unknown }
  | { t: 'labelsShape'; labels: unknown }
  | { t: 'noLabels' }
  | { t: 'time'; field: 'startsAt' | 'endsAt'; value: unknown }
  | { t: 'endsBeforeStarts' }
  | { t: 'generatorURL'; value: unknown }
  | { t: 'annotations'; value: unknown }
  | { t: 'annotationValue'; value: unknown }
  | { t: 'nul'; where: 'label' | 'annotation' | 'generatorURL' }
  | { t: 'surrogate'; where: 'label' | 'annotation' }
  | { t: 'deepLabel'; depth: number };

type AlertSpec =
  | { kind: Kind.Valid; extra: [string, string][]; empty: string[]; annotations: [string, string][]; startsAt: string | null; deep: number }
  | { kind: Kind.Bad; defect: Defect }
  | { kind: 'notObject'; value: unknown };

const safeText = (maxLength: number) =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'grapheme', maxLength }), fc.string({ unit: 'binary', maxLength })).filter((s) => !s.includes('\u0000') && Buffer.from(s, 'utf8').toString('utf8') === s);
const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/).filter((n) => !RESERVED.has(n) && !n.startsWith('fz_'));
const badLabelName = fc
  .oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), fc.constantFrom('1abc', 'a-b', 'a b', 'é', 'ラベル', '', 'a.b'))
  .filter((n) => !LABEL_NAME_RE.test(n) && !RESERVED.has(n) && !n.includes('\u0000'));
const wrongValue = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }));
const recent = fc.integer({ min: 0, max: 3_600_000 }).map((ago) => new Date(Date.now() - ago).toISOString());

const validAlert: fc.Arbitrary<AlertSpec> = fc.record({
  kind: fc.constant(Kind.Valid as const),
  extra: fc.array(fc.tuple(labelName, safeText(40).filter((v) => v !== '')), { maxLength: 4 }),
  empty: fc.array(fc.oneof(labelName, badLabelName), { maxLength: 2 }),
  annotations: fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !RESERVED.has(k) && !k.includes('\u0000')), safeText(60)), { maxLength: 3 }),
  startsAt: fc.option(fc.oneof(recent, fc.constant('0001-01-01T00:00:00Z')), { nil: null }),
  deep: fc.oneof({ arbitrary: fc.constant(0), weight: 9 }, { arbitrary: fc.integer({ min: 100, max: 3000 }), weight: 1 }),
});

const defect: fc.Arbitrary<Defect> = fc.oneof(
  fc.record({ t: fc.constant('labelName' as const), name: badLabelName }),
  fc.record({ t: fc.constant('labelValue' as const), value: wrongValue }),
  fc.record({ t: fc.constant('labelsShape' as const), labels: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }), fc.boolean()) }),
  fc.record({ t: fc.constant('noLabels' as const) }),
  fc.record({ t: fc.constant('time' as const), field: fc.constantFrom('startsAt' as const, 'endsAt' as const), value: fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 12 }), fc.constant('2024-13-45T99:99:99Z'), fc.boolean()) }),
  fc.record({ t: fc.constant('endsBeforeStarts' as const) }),
  fc.record({ t: fc.constant('generatorURL' as const), value: fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })) }),
  fc.record({ t: fc.constant('annotations' as const), value: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.array(fc.integer(), { maxLength: 2 })) }),
  fc.record({ t: fc.constant('annotationValue' as const), value: wrongValue }),
  fc.record({ t: fc.constant('nul' as const), where: fc.constantFrom('label' as const, 'annotation' as const, 'generatorURL' as const) }),
  fc.record({ t: fc.constant('surrogate' as const), where: fc.constantFrom('label' as const, 'annotation' as const) }),
  fc.record({ t: fc.constant('deepLabel' as const), depth: fc.integer({ min: 2, max: 2000 }) }),
);
const badAlert: fc.Arbitrary<AlertSpec> = fc.record({ kind: fc.constant(Kind.Bad as const), defect });
const notObject: fc.Arbitrary<AlertSpec> = fc.record({ kind: fc.constant('notObject' as const), value: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.boolean()) });
const anyAlert = fc.oneof({ arbitrary: validAlert, weight: 2 }, { arbitrary: badAlert, weight: 5 }, { arbitrary: notObject, weight: 1 });

function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { n: v };
  return v;
}

let counter = 0;
const run = randomBytes(4).toString('hex');
const nameFor = (kind: Kind): string => `fz-${run}-${kind}-${counter++}`;

/** The JSON object of one alert spec, its name and kind (null for a non-object item). */
function alertObject(spec: AlertSpec, kind = spec.kind === Kind.Valid ? Kind.Valid : Kind.Bad): { obj: unknown; name: string | null; kind: Kind } {
  if (spec.kind === 'notObject') return { obj: spec.value, name: null, kind: Kind.Bad };
  const name = nameFor(kind);
  const labels: Record<string, unknown> = { alertname: name, fz_run: run, fz_kind: kind };
  const alert: Record<string, unknown> = { labels, annotations: { summary: 'fuzz' } };
  if (spec.kind === Kind.Valid) {
    for (const [k, v] of spec.extra) labels[k] = v;
    for (const k of spec.empty) labels[k] = '';
    alert.annotations = Object.fromEntries([['summary', 'fuzz'], ...spec.annotations]);
    if (spec.startsAt) alert.startsAt = spec.startsAt;
    if (spec.deep > 0) alert.extra = nested(spec.deep);
    return { obj: alert, name, kind };
  }
  const d = spec.defect;
  switch (d.t) {
    case 'labelName':
      labels[d.name] = 'v';
      break;
    case 'labelValue':
      labels.wrong = d.value;
      break;
    case 'labelsShape':
      alert.labels = d.labels;
      break;
    case 'noLabels':
      delete alert.labels;
      break;
    case 'time':
      alert[d.field] = d.value;
      break;
    case 'endsBeforeStarts':
      alert.startsAt = new Date(Date.now() - 60_000).toISOString();
      alert.endsAt = new Date(Date.now() - 120_000).toISOString();
      break;
    case 'generatorURL':
      alert.generatorURL = d.value;
      break;
    case 'annotations':
      alert.annotations = d.value;
      break;
    case 'annotationValue':
      alert.annotations = { summary: d.value };
      break;
    case 'nul':
      if (d.where === 'label') labels.nul = 'a\u0000b';
      else if (d.where === 'annotation') alert.annotations = { summary: 'before\u0000after' };
      else alert.generatorURL = 'http://x/\u0000';
      break;
    case 'surrogate':
      if (d.where === 'label') labels.lone = 'a\ud800b';
      else alert.annotations = { summary: 'lone \udc00 surrogate' };
      break;
    case 'deepLabel':
      labels.deep = nested(d.depth);
      break;
  }
  // A rejected alert whose labels are not an object carries no marker; it cannot be stored anyway.
  return { obj: alert, name: typeof alert.labels === 'object' && alert.labels !== null && !Array.isArray(alert.labels) ? name : null, kind };
}

function wrap(route: Route, alerts: unknown[]): unknown {
  if (route !== Route.Webhook) return alerts;
  return { version: '4', status: 'firing', receiver: 'upstream', groupKey: '{}', alerts: alerts.map((a) => (typeof a === 'object' && a !== null && !Array.isArray(a) ? { status: 'firing', ...a } : a)) };
}

function batchCase(category: string, route: Route, specs: AlertSpec[]): Case {
  const built = specs.map((s) => alertObject(s));
  return {
    category,
    route,
    contentType: 'application/json',
    body: JSON.stringify(wrap(route, built.map((b) => b.obj))),
    expect: Expect.Batch,
    badIndices: specs.flatMap((s, i) => (s.kind === Kind.Valid ? [] : [i])),
    alerts: built.filter((b) => b.name !== null).map((b) => ({ name: b.name as string, kind: b.kind })),
  };
}

/** A whole batch inside a body that cannot be read: every alert in it is `unparsed`. */
function unreadable(category: string, route: Route, specs: AlertSpec[], mangle: (json: string) => string | Uint8Array, contentType: string | null = 'application/json'): Case {
  const built = specs.map((s) => alertObject(s, Kind.Unparsed));
  return {
    category,
    route,
    contentType,
    body: mangle(JSON.stringify(wrap(route, built.map((b) => b.obj)))),
    expect: Expect.Rejected,
    badIndices: [],
    alerts: built.filter((b) => b.name !== null).map((b) => ({ name: b.name as string, kind: Kind.Unparsed })),
  };
}

// ---------------------------------------------------------------- request cases

const route = fc.constantFrom(Route.V2, Route.V1, Route.Webhook);
const specs = fc.array(anyAlert, { minLength: 1, maxLength: 3 });
const validSpecs = fc.array(validAlert, { minLength: 1, maxLength: 2 });

/** Arbitraries produce thunks so that names are numbered in sending order, once. */
type CaseThunk = () => Case;

const caseArb: fc.Arbitrary<CaseThunk> = fc.oneof(
  { weight: 30, arbitrary: fc.tuple(route, specs).map(([r, s]): CaseThunk => () => batchCase('batch', r, s)) },
  {
    weight: 14,
    arbitrary: fc.tuple(route, fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3, withNullPrototype: false })), fc.boolean()).map(
      ([r, v, asText]): CaseThunk =>
        () => {
          let body: string;
          try {
            body = asText ? String(v) : (JSON.stringify(v) ?? 'null');
          } catch {
            body = '{}';
          }
          return { category: 'random-json', route: r, contentType: 'application/json', body, expect: Expect.Any, badIndices: [], alerts: [] };
        },
    ),
  },
  {
    weight: 8,
    arbitrary: fc.tuple(route, specs, fc.double({ min: 0, max: 0.999, noNaN: true })).map(
      ([r, s, cut]): CaseThunk => () => unreadable('truncated', r, s, (json) => json.slice(0, Math.floor(json.length * cut))),
    ),
  },
  {
    weight: 5,
    arbitrary: fc.tuple(route, fc.array(validAlert, { minLength: 1, maxLength: 1 }), fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x28, 0x8c, 0x28], [0xed, 0xa0, 0x80]), fc.boolean()).map(
      ([r, s, bytes, inName]): CaseThunk =>
        () => {
          // Invalid UTF-8 inside a label value (decoded as U+FFFD: still a valid alert), or inside a label name (rejected).
          const c = batchCase('invalid-utf8', r, s);
          // A raw U+0001 cannot occur elsewhere: JSON.stringify escapes control characters.
          const marker = inName ? '"fz_bytes_name_\u0001":"v",' : '"fz_bytes":"a\u0001b",';
          const json = (c.body as string).replace('"fz_run":', `${marker}"fz_run":`);
          const at = json.indexOf('\u0001');
          const body = Buffer.concat([Buffer.from(json.slice(0, at)), Buffer.from(bytes), Buffer.from(json.slice(at + 1))]);
          if (!inName) return { ...c, body };
          const first = c.alerts[0];
          return {
            ...c,
            body,
            badIndices: [0],
            alerts: c.alerts.map((a) => (a === first ? { ...a, kind: Kind.Bad } : a)),
          };
        },
    ),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(route, fc.boolean()).map(
      ([r, lastBad]): CaseThunk =>
        () => {
          // Duplicate keys: JSON.parse keeps the last one, as Go's decoder does.
          const kind = lastBad ? Kind.Bad : Kind.Valid;
          const name = nameFor(kind);
          const last = lastBad ? '"dup":5' : '"dup":"second"';
          const alert = `{"labels":{"alertname":"${name}","fz_run":"${run}","fz_kind":"${kind}","dup":"first",${last}},"annotations":{"summary":"a","summary":"b"},"startsAt":"bad","startsAt":"${new Date().toISOString()}"}`;
          const body = r === Route.Webhook ? `{"version":"4","alerts":[${alert}],"version":"4"}` : `[${alert}]`;
          return { category: 'duplicate-keys', route: r, contentType: 'application/json', body, expect: Expect.Batch, badIndices: lastBad ? [0] : [], alerts: [{ name, kind }] };
        },
    ),
  },
  {
    weight: 7,
    arbitrary: fc.tuple(route, validSpecs, fc.constantFrom<string | null>('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', null)).map(
      ([r, s, ct]): CaseThunk => () => unreadable('content-type', r, s, (json) => (ct === null ? new TextEncoder().encode(json) : json), ct),
    ),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(route, fc.constantFrom('null', '', ' ', 'true', '0', '"alerts"', '{}', '[null]', '{"alerts":null}', '{"alerts":{}}')).map(
      ([r, body]): CaseThunk => () => ({ category: 'null-body', route: r, contentType: 'application/json', body, expect: Expect.Any, badIndices: [], alerts: [] }),
    ),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(route, fc.integer({ min: 1000, max: 200_000 }), fc.boolean()).map(
      ([r, depth, arrays]): CaseThunk =>
        () => {
          const body = arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
          return { category: 'deep-nesting', route: r, contentType: 'application/json', body, expect: Expect.Any, badIndices: [], alerts: [] };
        },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(route, fc.constantFrom('__proto__', 'constructor'), validSpecs).map(
      ([r, key, s]): CaseThunk =>
        () => unreadable('prototype-keys', r, s, (json) => json.replace('"fz_run":', key === '__proto__' ? '"__proto__":{"polluted":"yes"},"fz_run":' : '"constructor":{"prototype":{"polluted":"yes"}},"fz_run":')),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(route, fc.constantFrom(2_000, 2_000, 10_000, 100_000, 900_000, 1_100_000), fc.boolean(), fc.constantFrom('a', 'é', '😀', 'ラ')).map(
      ([r, size, inName, ch]): CaseThunk =>
        () => {
          // A huge label value is valid (values are any UTF-8 string), in alertname (a grouping label) or elsewhere.
          const huge = ch.repeat(Math.ceil(size / Buffer.byteLength(ch)));
          const kind = size > MIB ? Kind.Unparsed : Kind.Valid;
          const name = nameFor(kind);
          const labels = inName ? { alertname: `${name}-${huge}`, fz_name: name, fz_run: run, fz_kind: kind } : { alertname: name, fz_run: run, fz_kind: kind, huge };
          const body = JSON.stringify(wrap(r, [{ labels }]));
          return { category: 'huge', route: r, contentType: 'application/json', body, expect: size > MIB ? Expect.Rejected : Expect.Batch, badIndices: [], alerts: [{ name, kind }] };
        },
    ),
  },
);

// ---------------------------------------------------------------- the suite

interface Outcome {
  c: Case;
  status: number;
  contentType: string;
  body: string;
}

function keptFrom(o: Outcome): boolean {
  if (o.c.expect !== Expect.Batch) return o.status >= 200 && o.status < 300;
  return o.status >= 200 && o.status < 300 ? true : o.status === 400 && o.c.badIndices.length > 0;
}

describe('fuzzed ingest', () => {
  let app: TestApp;
  let sink: WebhookSinkDouble;
  const receiver = `fuzz-${run}`;

  beforeAll(async () => {
    sink = await startWebhookSinkDouble();
    app = await startTestApp({
      env: { TOCSIN_SLO: '0' }, // no self-alerts among the arrivals this test counts
      configYaml: `
route:
  receiver: ${receiver}
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1h
  repeat_interval: 24h
delivery:
  max_attempts: 10
  initial_backoff: 100ms
  max_backoff: 1s
channels:
  webhook:
    rate_limit: { rate: 100000, per: 1s, burst: 100000 }
receivers:
  - name: ${receiver}
    webhook_configs: [{ url: "${sink.url}/fuzz" }]
`,
    });
  });

  afterAll(async () => {
    await app?.close();
    await sink?.close();
  });

  it('should never answer 5xx, keep exactly the valid alerts and deliver each once', async () => {
    const started = Date.now();
    const thunks = fc.sample(caseArb, { numRuns: REQUESTS, seed: SEED });
    const cases = thunks.map((t) => t());
    const outcomes: Outcome[] = [];
    let next = 0;
    const headersFor = (c: Case): Record<string, string> => ({ ...app.admin, ...(c.contentType ? { 'content-type': c.contentType } : {}) });
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const c = cases[next++];
        const res = await fetch(`${app.url}${c.route}`, { method: 'POST', headers: headersFor(c), body: c.body });
        outcomes.push({ c, status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const sentMs = Date.now() - started;
    const where = (o: Outcome): string => `seed ${SEED} ${o.c.category} ${o.c.route} → ${o.status} ${o.body.slice(0, 300)}`;

    // No 5xx, whatever came in.
    expect(outcomes.filter((o) => o.status >= 500).map(where)).toEqual([]);

    // Every 4xx is a problem document; a well-formed batch names exactly its rejected alerts.
    for (const o of outcomes.filter((x) => x.status >= 400)) {
      expect([o.contentType, where(o)]).toEqual([expect.stringContaining('application/problem+json'), where(o)]);
      const problem = JSON.parse(o.body) as { status: number; type: string; title: string; requestId: string; errors: { path: string; message: string }[] };
      expect(problem).toMatchObject({ status: o.status, type: expect.any(String), title: expect.any(String), requestId: expect.any(String), errors: expect.any(Array) });
    }
    const wrongBatches = outcomes
      .filter((o) => o.c.expect === Expect.Batch)
      .filter((o) => {
        const okStatus = o.c.route === Route.V2 ? 200 : 202;
        if (o.c.badIndices.length === 0) return o.status !== okStatus;
        if (o.status !== 400) return true;
        const prefix = o.c.route === Route.Webhook ? 'alerts' : '';
        const errors = (JSON.parse(o.body) as { errors: { path: string }[] }).errors;
        const named = new Set(errors.map((e) => Number(/^\w*\[(\d+)\]/.exec(e.path)?.[1] ?? -1)));
        const paths = errors.every((e) => e.path.startsWith(`${prefix}[`));
        return !paths || [...named].sort().join() !== [...new Set(o.c.badIndices)].sort().join();
      });
    expect(wrongBatches.map(where).slice(0, 10)).toEqual([]);
    for (const o of outcomes.filter((x) => x.c.expect === Expect.Rejected)) expect([o.status >= 400 && o.status < 500, where(o)]).toEqual([true, where(o)]);

    // The database: no rejected or unreadable alert, every kept valid one.
    const kept = new Set(outcomes.filter(keptFrom).flatMap((o) => o.c.alerts.filter((a) => a.kind === Kind.Valid).map((a) => a.name)));
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    let rows: { name: string; kind: string }[];
    try {
      rows = (
        await client.query<{ name: string; kind: string }>(
          `SELECT coalesce(labels->>'fz_name', labels->>'alertname') AS name, labels->>'fz_kind' AS kind FROM alerts WHERE labels->>'fz_run' = $1`,
          [run],
        )
      ).rows;
    } finally {
      await client.end();
    }
    expect(rows.filter((r) => r.kind !== Kind.Valid)).toEqual([]);
    const stored = new Set(rows.map((r) => r.name));
    expect([...kept].filter((n) => !stored.has(n))).toEqual([]);
    expect([...stored].filter((n) => !kept.has(n))).toEqual([]);
    expect(kept.size).toBeGreaterThan(500);

    // The sink: every kept alert exactly once, nothing else of this run.
    const arrivals = (): Map<string, number> => {
      const seen = new Map<string, number>();
      for (const r of sink.requests) {
        for (const a of (r.json as WebhookV4Payload | undefined)?.alerts ?? []) {
          if (a.labels.fz_run !== run) continue;
          const name = a.labels.fz_name ?? a.labels.alertname;
          seen.set(name, (seen.get(name) ?? 0) + 1);
        }
      }
      return seen;
    };
    const deliveredFrom = Date.now();
    await waitFor(() => [...kept].every((n) => arrivals().has(n)), 150_000, `${kept.size} kept alerts at the sink`);
    const seen = arrivals();
    expect([...seen.keys()].filter((n) => !kept.has(n))).toEqual([]);
    expect([...seen].filter(([, count]) => count > 1)).toEqual([]);

    const counts = outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [`${Math.floor(o.status / 100)}xx`]: (acc[`${Math.floor(o.status / 100)}xx`] ?? 0) + 1 }), {});
    process.stdout.write(
      `fuzz: ${REQUESTS} requests in ${sentMs} ms (${JSON.stringify(counts)}), ${kept.size} valid alerts kept and delivered once ` +
        `(last one ${Date.now() - deliveredFrom} ms after the checks began), total ${Date.now() - started} ms\n`,
    );
  }, 300_000);
});
