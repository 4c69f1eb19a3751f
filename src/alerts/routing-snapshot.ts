import type { TocsinConfig } from '../config/config.types.js';
import { Inhibitor } from './inhibit.js';
import type { Labels } from './matchers.js';
import { buildRouteTree, type Route } from './route.js';
import { isMuted, parseTimeIntervals, type TimeInterval } from './time-intervals.js';

/**
 * The routing side of one config, compiled once per config object (a reload swaps the config,
 * and with it the snapshot): the route tree, routes by id, the inhibitor and the named time
 * intervals.
 */
export class RoutingSnapshot {
  readonly root: Route;
  readonly routesById: ReadonlyMap<string, Route>;
  readonly inhibitor: Inhibitor;
  readonly intervals: ReadonlyMap<string, readonly TimeInterval[]>;

  constructor(readonly config: TocsinConfig) {
    this.root = buildRouteTree(config.route);
    const byId = new Map<string, Route>();
    this.root.walk((r) => byId.set(r.id(), r));
    this.routesById = byId;
    this.inhibitor = new Inhibitor(config.inhibit_rules);
    this.intervals = parseTimeIntervals(config.time_intervals);
  }

  /** The matching routes, in routing order (amtool's order, duplicates kept). */
  match(labels: Labels): Route[] {
    return this.root.match(labels);
  }

  /** Receiver names an alert goes to, without duplicates, in routing order. */
  receiversOf(labels: Labels): string[] {
    return [...new Set(this.match(labels).map((r) => r.receiver))];
  }

  /** Whether the route's time intervals hold its notifications back at `at` (unknown names: not muted). */
  timeMuted(route: Route, at: Date): boolean {
    try {
      return isMuted(route, this.intervals, at);
    } catch {
      return false;
    }
  }
}

const cache = new WeakMap<TocsinConfig, RoutingSnapshot>();

export function routingSnapshotOf(config: TocsinConfig): RoutingSnapshot {
  let snap = cache.get(config);
  if (!snap) {
    snap = new RoutingSnapshot(config);
    cache.set(config, snap);
  }
  return snap;
}
