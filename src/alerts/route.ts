import { createHash } from 'node:crypto';
import { parseDuration } from '../common/duration.js';
import { compareGoStrings, goQuote } from './go-strings.js';
import { type Labels, Matcher, MatcherParseError, MatchType, matchersToString, matchesAll, parseMatchers, sortMatchers } from './matchers.js';

/**
 * Alertmanager's routing tree (`dispatch/route.go`) built from the Alertmanager-shaped `route`
 * section of the config.
 *
 * Inheritance, as `NewRoute` does it: a child starts from its parent's options and overrides
 * `receiver`, `group_by`, `group_wait`, `group_interval`, `repeat_interval` where it sets them.
 * `group_by: ['...']` groups by all labels; a `group_by` that names no label (`[]`) inherits the
 * parent's grouping, as in Alertmanager. `mute_time_intervals` / `active_time_intervals` are NOT
 * inherited: each route has exactly the ones it lists. `continue` is per route.
 * The root defaults are Alertmanager's: group_wait 30s, group_interval 5m, repeat_interval 4h.
 *
 * Matchers of a route are `match` (equality), `match_re` (regex) and each line of `matchers`
 * (each line may hold several matchers), sorted as Alertmanager sorts them; the sorted list is
 * what `key()` prints.
 */

/** One route node as the config loader hands it over (Alertmanager's YAML keys). */
export interface RouteConfig {
  receiver?: string | null;
  group_by?: readonly string[] | null;
  continue?: boolean | null;
  matchers?: readonly string[] | null;
  match?: Readonly<Record<string, string>> | null;
  match_re?: Readonly<Record<string, string>> | null;
  group_wait?: string | null;
  group_interval?: string | null;
  repeat_interval?: string | null;
  mute_time_intervals?: readonly string[] | null;
  active_time_intervals?: readonly string[] | null;
  routes?: readonly RouteConfig[] | null;
}

/** Timing defaults for the root route, in milliseconds. */
export interface RouteDefaults {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

export const ALERTMANAGER_ROUTE_DEFAULTS: RouteDefaults = {
  groupWaitMs: 30_000,
  groupIntervalMs: 5 * 60_000,
  repeatIntervalMs: 4 * 3600_000,
};

/** The `group_by` entry that means "all labels". */
export const GROUP_BY_ALL = '...';

export class RouteConfigError extends Error {
  override readonly name = 'RouteConfigError';

  constructor(
    /** Where in the config, e.g. `route.routes[1].matchers[0]`. */
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

interface RouteOptions {
  receiver: string;
  groupBy: readonly string[];
  groupByAll: boolean;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

export class Route {
  readonly receiver: string;
  /** Label names to group by, sorted; ignored when `groupByAll`. */
  readonly groupBy: readonly string[];
  readonly groupByAll: boolean;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  /** Sorted as Alertmanager sorts them. */
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly routes: readonly Route[];
  readonly parent: Route | null;
  /** Position among the parent's children; null for the root. */
  readonly index: number | null;
  private readonly cachedKey: string;
  private readonly cachedId: string;

  /** Use buildRouteTree. */
  constructor(init: {
    parent: Route | null;
    index: number | null;
    opts: RouteOptions;
    matchers: readonly Matcher[];
    continue: boolean;
    muteTimeIntervals: readonly string[];
    activeTimeIntervals: readonly string[];
    children: (parent: Route) => Route[];
  }) {
    this.parent = init.parent;
    this.index = init.index;
    this.receiver = init.opts.receiver;
    this.groupBy = init.opts.groupBy;
    this.groupByAll = init.opts.groupByAll;
    this.groupWaitMs = init.opts.groupWaitMs;
    this.groupIntervalMs = init.opts.groupIntervalMs;
    this.repeatIntervalMs = init.opts.repeatIntervalMs;
    this.matchers = init.matchers;
    this.continue = init.continue;
    this.muteTimeIntervals = init.muteTimeIntervals;
    this.activeTimeIntervals = init.activeTimeIntervals;
    this.cachedKey = (this.parent ? this.parent.key() + '/' : '') + matchersToString(this.matchers);
    this.cachedId = this.index === null ? this.cachedKey : `${this.cachedKey}/${this.index}`;
    this.routes = init.children(this);
  }

  /**
   * Depth-first, left-to-right: the deepest matching routes. A matching child stops the search
   * among its siblings unless it has `continue: true`; a route none of whose children match is
   * itself the match. Returns [] when this route's own matchers fail.
   */
  match(labels: Labels): Route[] {
    if (!matchesAll(this.matchers, labels)) return [];
    const all: Route[] = [];
    for (const child of this.routes) {
      const found = child.match(labels);
      if (found.length > 0) {
        all.push(...found);
        if (!child.continue) break;
      }
    }
    if (all.length === 0) all.push(this);
    return all;
  }

  /** Alertmanager's `Route.Key()`: the matchers of each route from the root, joined by `/` (`{}/{severity="critical"}`). */
  key(): string {
    return this.cachedKey;
  }

  /** Alertmanager's `Route.ID()`: the key plus the position among its siblings (`{}/{severity="critical"}/0`). */
  id(): string {
    return this.cachedId;
  }

  /** Visits this route and then its descendants, depth first. */
  walk(visit: (route: Route) => void): void {
    visit(this);
    for (const child of this.routes) child.walk(visit);
  }
}

function durationOr(value: string | null | undefined, fallback: number, path: string, nonZero: boolean): number {
  if (value === undefined || value === null) return fallback;
  let ms: number;
  try {
    ms = parseDuration(String(value));
  } catch (err) {
    throw new RouteConfigError(path, err instanceof Error ? err.message : String(err));
  }
  if (nonZero && ms === 0) throw new RouteConfigError(path, 'cannot be zero');
  return ms;
}

function buildMatchers(cr: RouteConfig, path: string): Matcher[] {
  const out: Matcher[] = [];
  const wrap = (p: string, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      if (err instanceof MatcherParseError) throw new RouteConfigError(p, err.message);
      throw err;
    }
  };
  for (const [name, value] of Object.entries(cr.match ?? {})) {
    wrap(`${path}.match.${name}`, () => out.push(new Matcher(MatchType.Equal, name, String(value))));
  }
  for (const [name, value] of Object.entries(cr.match_re ?? {})) {
    wrap(`${path}.match_re.${name}`, () => out.push(new Matcher(MatchType.Regexp, name, String(value))));
  }
  (cr.matchers ?? []).forEach((line, i) => {
    wrap(`${path}.matchers[${i}]`, () => out.push(...parseMatchers(String(line))));
  });
  return sortMatchers(out);
}

function buildRoute(cr: RouteConfig, parent: Route | null, index: number | null, parentOpts: RouteOptions, path: string): Route {
  const opts: RouteOptions = { ...parentOpts };
  if (cr.receiver) opts.receiver = cr.receiver;

  if (cr.group_by !== undefined && cr.group_by !== null) {
    const names = cr.group_by.filter((n) => n !== GROUP_BY_ALL);
    const all = names.length !== cr.group_by.length;
    if (all && names.length > 0) {
      throw new RouteConfigError(`${path}.group_by`, 'cannot have wildcard group_by (`...`) and other labels at the same time');
    }
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new RouteConfigError(`${path}.group_by`, `duplicated label "${n}" in group_by`);
      seen.add(n);
    }
    if (names.length > 0) {
      opts.groupBy = [...names].sort(compareGoStrings);
      opts.groupByAll = false;
    } else if (all) {
      opts.groupByAll = true;
    }
  }
  opts.groupWaitMs = durationOr(cr.group_wait, opts.groupWaitMs, `${path}.group_wait`, false);
  opts.groupIntervalMs = durationOr(cr.group_interval, opts.groupIntervalMs, `${path}.group_interval`, true);
  opts.repeatIntervalMs = durationOr(cr.repeat_interval, opts.repeatIntervalMs, `${path}.repeat_interval`, true);

  const matchers = buildMatchers(cr, path);
  if (parent === null) {
    if (!cr.receiver) throw new RouteConfigError(`${path}.receiver`, 'root route must specify a default receiver');
    if (matchers.length > 0) throw new RouteConfigError(path, 'root route must not have any matchers');
    if ((cr.mute_time_intervals ?? []).length > 0) throw new RouteConfigError(`${path}.mute_time_intervals`, 'root route must not have any mute time intervals');
    if ((cr.active_time_intervals ?? []).length > 0) throw new RouteConfigError(`${path}.active_time_intervals`, 'root route must not have any active time intervals');
  }

  return new Route({
    parent,
    index,
    opts,
    matchers,
    continue: cr.continue === true,
    muteTimeIntervals: [...(cr.mute_time_intervals ?? [])],
    activeTimeIntervals: [...(cr.active_time_intervals ?? [])],
    children: (self) => (cr.routes ?? []).map((child, i) => buildRoute(child, self, i, opts, `${path}.routes[${i}]`)),
  });
}

/**
 * Builds the routing tree from the config's `route` section. Throws RouteConfigError (with a
 * `route.routes[0].matchers[1]`-style path) for a bad matcher, duration or root route.
 */
export function buildRouteTree(routeConfig: RouteConfig, defaults: Partial<RouteDefaults> = {}): Route {
  const d = { ...ALERTMANAGER_ROUTE_DEFAULTS, ...defaults };
  const rootOpts: RouteOptions = {
    receiver: '',
    groupBy: [],
    groupByAll: false,
    groupWaitMs: d.groupWaitMs,
    groupIntervalMs: d.groupIntervalMs,
    repeatIntervalMs: d.repeatIntervalMs,
  };
  return buildRoute(routeConfig, null, null, rootOpts, 'route');
}

/** The receivers an alert goes to, in routing order, as `amtool config routes test` prints them (duplicates kept). */
export function matchReceivers(root: Route, labels: Labels): string[] {
  return root.match(labels).map((r) => r.receiver);
}

/** The labels of an alert that make up its group on a route (`getGroupLabels`). */
export function groupLabels(route: Route, labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  if (route.groupByAll) {
    for (const name of Object.keys(labels)) out[name] = labels[name];
    return out;
  }
  for (const name of route.groupBy) {
    if (Object.prototype.hasOwnProperty.call(labels, name)) out[name] = labels[name];
  }
  return out;
}

/**
 * `model.LabelSet.String()` as the Alertmanager 0.25 build prints it: `name="value"` pairs
 * (values quoted the Go way), sorted as whole strings, joined by `, `, in braces.
 */
export function labelSetString(labels: Labels): string {
  const pairs = Object.keys(labels).map((name) => `${name}=${goQuote(labels[name])}`);
  pairs.sort(compareGoStrings);
  return `{${pairs.join(', ')}}`;
}

/** Alertmanager's group key: `<route key>:<group labels>`, e.g. `{}/{severity="critical"}:{alertname="X"}`. */
export function groupKey(route: Route, labels: Labels): string {
  return `${route.key()}:${labelSetString(groupLabels(route, labels))}`;
}

/** Alertmanager's hash of a group key (SHA-256, lowercase hex), used e.g. as PagerDuty's `dedup_key`. */
export function hashGroupKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
