import type { CompiledTemplate } from '../templates/template-engine.js';

export const PAGERDUTY_DEFAULT_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** One resolved `pagerduty_configs` entry. */
export interface PagerDutyTarget {
  receiver: string;
  /** Integration key (secret). */
  routingKey: string;
  /** Events API v2 URL (default `https://events.pagerduty.com/v2/enqueue`). */
  eventsUrl?: string;
  serviceName?: string;
  links?: Array<{ href: string; text?: string }>;
  images?: Array<{ src: string; alt?: string; href?: string }>;
  summary?: CompiledTemplate;
  client?: CompiledTemplate;
  clientUrl?: CompiledTemplate;
  source?: CompiledTemplate;
  severity?: CompiledTemplate;
  class?: CompiledTemplate;
  component?: CompiledTemplate;
  group?: CompiledTemplate;
  /** `details`: each value a template; replaces the default custom details when set. */
  details?: Record<string, CompiledTemplate>;
}

export enum PagerDutySeverity {
  Critical = 'critical',
  Error = 'error',
  Warning = 'warning',
  Info = 'info',
}
