import { Registry, collectDefaultMetrics } from 'prom-client';

/** The registry every module's metrics register on; one per application instance. */
export const METRICS_REGISTRY = Symbol('MetricsRegistry');

export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
