import { Liquid, Tag, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import type { NotificationAlert, NotificationData } from '../channel-adapter.js';

/**
 * Tocsin's template language: Liquid (liquidjs), sandboxed because templates come from
 * operators' config files. Templates see Alertmanager's data with Alertmanager's names
 * (`Status`, `Alerts`, `GroupLabels`, …); `Alerts.Firing` and `Alerts.Resolved` are the
 * firing and resolved alerts, as in Alertmanager. See docs/templates.md.
 */

/** One alert as a template sees it (Alertmanager's `.Alerts[i]`). */
export interface TemplateAlert {
  readonly Status: string;
  readonly Labels: Record<string, string>;
  readonly Annotations: Record<string, string>;
  readonly StartsAt: string;
  readonly EndsAt: string;
  readonly GeneratorURL: string;
  readonly Fingerprint: string;
}

/** An array of alerts that also answers `.Firing` and `.Resolved` (not enumerable, so `| json` shows the plain list). */
export type TemplateAlertList = TemplateAlert[] & {
  readonly Firing: TemplateAlert[];
  readonly Resolved: TemplateAlert[];
};

/** The data every template renders against (Alertmanager's notification data). */
export interface TemplateData {
  readonly Receiver: string;
  readonly Status: string;
  readonly Alerts: TemplateAlertList;
  readonly GroupLabels: Record<string, string>;
  readonly CommonLabels: Record<string, string>;
  readonly CommonAnnotations: Record<string, string>;
  readonly ExternalURL: string;
  readonly GroupKey: string;
  /** How many alerts were left out of `Alerts` (Alertmanager's `truncatedAlerts`). */
  readonly TruncatedAlerts: number;
}

export class TemplateCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateCompileError';
  }
}

export class TemplateRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}

export interface CompiledTemplate {
  /** The template's text as written. */
  readonly source: string;
  render(data: TemplateData): string;
}

export interface CompileOptions {
  /** HTML-escape every `{{ … }}` output (email `html` fields); `| raw` opts out. */
  html?: boolean;
}

const MAX_TEMPLATE_LENGTH = 64 * 1024;
const RENDER_LIMIT_MS = 1000;
const MEMORY_LIMIT = 16 * 1024 * 1024;

function sortedEntries(value: unknown): Array<[string, string]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]): [string, string] => [k, v === null || v === undefined ? '' : String(v)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function titleCase(value: unknown): string {
  return String(value ?? '').replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

class ForbiddenFileTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    throw new TemplateCompileError(
      `the "${token.name}" tag is not available: templates cannot read other files (line ${token.getPosition()[0]})`,
    );
  }

  *render(): Generator<unknown, void, unknown> {
    // never reached: the constructor throws
  }
}

function makeEngine(html: boolean): Liquid {
  const engine = new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    // no file system: an in-memory, empty template map
    templates: {},
    relativeReference: false,
    timezoneOffset: 0,
    parseLimit: MAX_TEMPLATE_LENGTH,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
    outputEscape: html ? 'escape' : undefined,
  });
  for (const name of ['include', 'render', 'layout']) engine.registerTag(name, ForbiddenFileTag);

  /** `{{ CommonLabels | label_pairs }}` → `alertname=Foo, severity=critical` (sorted by name). */
  engine.registerFilter('label_pairs', (value: unknown, separator: unknown = ', ', joiner: unknown = '=') =>
    sortedEntries(value)
      .map(([k, v]) => `${k}${String(joiner)}${v}`)
      .join(String(separator)),
  );
  /** `{% assign pairs = Labels | sorted_pairs %}` → `[{ Name, Value }]` sorted by name (Alertmanager's `.SortedPairs`). */
  engine.registerFilter('sorted_pairs', (value: unknown) => sortedEntries(value).map(([Name, Value]) => ({ Name, Value })));
  /** Label names sorted (`.Names`). */
  engine.registerFilter('label_names', (value: unknown) => sortedEntries(value).map(([k]) => k));
  /** Label values in the order of their sorted names (`.Values`). */
  engine.registerFilter('label_values', (value: unknown) => sortedEntries(value).map(([, v]) => v));
  /** `{{ CommonLabels | without: "alertname", "severity" | label_pairs }}` (`.Remove`). */
  engine.registerFilter('without', (value: unknown, ...names: unknown[]) => {
    const drop = new Set(names.map(String));
    return Object.fromEntries(sortedEntries(value).filter(([k]) => !drop.has(k)));
  });
  /** Capitalises every word (Go's `title`). */
  engine.registerFilter('title', titleCase);
  engine.registerFilter('to_upper', (value: unknown) => String(value ?? '').toUpperCase());
  engine.registerFilter('to_lower', (value: unknown) => String(value ?? '').toLowerCase());
  return engine;
}

const engines = { text: makeEngine(false), html: makeEngine(true) };

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Parses a template once; throws TemplateCompileError with liquidjs's reason and position. */
export function compileTemplate(source: string, options: CompileOptions = {}): CompiledTemplate {
  const engine = options.html ? engines.html : engines.text;
  if (source.length > MAX_TEMPLATE_LENGTH) {
    throw new TemplateCompileError(`template is longer than ${MAX_TEMPLATE_LENGTH} characters`);
  }
  let parsed: Template[];
  try {
    parsed = engine.parse(source);
  } catch (err) {
    if (err instanceof TemplateCompileError) throw err;
    throw new TemplateCompileError(`template does not compile: ${messageOf(err)}`);
  }
  return {
    source,
    render(data: TemplateData): string {
      try {
        return engine.renderSync(parsed, data) as string;
      } catch (err) {
        throw new TemplateRenderError(`template failed to render: ${messageOf(err)}`);
      }
    },
  };
}

const GO_KEYWORD = /^(?:if|else|end|range|with|template|define|block|break|continue)\b/;
const GO_DOT_FIELD = /(?:^|[\s(|,])\.(?:[A-Za-z_]|\s|\)|$)/;
const GO_VARIABLE = /(?:^|[\s(|])\$[A-Za-z_0-9]*(?:\s*:?=|\s|\.|\)|$)/;
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`/g;

/**
 * True when a template field is written in Go's text/template (Alertmanager's language):
 * a `{{ … }}` tag using Go's dot forms (`.Status`, a lone `.`), a `$variable`, or a Go
 * keyword (`if`, `range`, `end`, `template`, `define`, …) — none of which Liquid writes
 * inside `{{ }}`.
 */
export function looksLikeGoTemplate(source: string): boolean {
  const tags = source.matchAll(/\{\{-?([\s\S]*?)-?\}\}/g);
  for (const m of tags) {
    const inner = m[1].replace(STRING_LITERAL, '""').trim();
    if (inner.startsWith('/*')) return true; // Go comment {{/* … */}}
    if (GO_KEYWORD.test(inner)) return true;
    if (GO_DOT_FIELD.test(inner)) return true;
    if (GO_VARIABLE.test(inner)) return true;
  }
  return false;
}

function freezeMap(map: Record<string, string>): Record<string, string> {
  return Object.freeze({ ...map });
}

function toTemplateAlert(alert: NotificationAlert): TemplateAlert {
  return Object.freeze({
    Status: alert.status,
    Labels: freezeMap(alert.labels),
    Annotations: freezeMap(alert.annotations),
    StartsAt: alert.startsAt,
    EndsAt: alert.endsAt,
    GeneratorURL: alert.generatorURL,
    Fingerprint: alert.fingerprint,
  });
}

/** Builds an alert list with Alertmanager's `.Firing` / `.Resolved` views. */
export function toTemplateAlertList(alerts: readonly TemplateAlert[]): TemplateAlertList {
  const list = [...alerts];
  Object.defineProperty(list, 'Firing', { value: list.filter((a) => a.Status === 'firing'), enumerable: false });
  Object.defineProperty(list, 'Resolved', { value: list.filter((a) => a.Status === 'resolved'), enumerable: false });
  return list as TemplateAlertList;
}

/** Converts Tocsin's NotificationData (camelCase) into the Alertmanager-named data templates see. */
export function toTemplateData(data: NotificationData): TemplateData {
  return {
    Receiver: data.receiver,
    Status: data.status,
    Alerts: toTemplateAlertList(data.alerts.map(toTemplateAlert)),
    GroupLabels: freezeMap(data.groupLabels),
    CommonLabels: freezeMap(data.commonLabels),
    CommonAnnotations: freezeMap(data.commonAnnotations),
    ExternalURL: data.externalURL,
    GroupKey: data.groupKey,
    TruncatedAlerts: data.truncatedAlerts,
  };
}
