import type { Channel } from '../channels/channel-adapter.js';
import type { AttemptOutcome, DeliveryStatus } from './delivery.types.js';

/** A delivery as the API shows it (SPEC §3). */
export interface DeliveryView {
  id: string;
  status: DeliveryStatus;
  channel: Channel;
  receiver: string;
  recipient: string;
  fingerprints: string[];
  groupKey: string;
  retryCount: number;
  errorMessage: string | null;
  createdAt: string;
  dueAt: string;
  deliveredAt: string | null;
  failedAt: string | null;
  /** When the next attempt may start; null unless the delivery is waiting or being sent. */
  nextAttemptAt: string | null;
}

export interface AttemptView {
  startedAt: string;
  durationMs: number;
  outcome: AttemptOutcome;
  provider: string;
  providerStatus: number | null;
  providerCode: string | null;
  error: string | null;
}

export interface DeliveryDetail extends DeliveryView {
  attempts: AttemptView[];
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  channel?: Channel;
  receiver?: string;
  fingerprint?: string;
  /** created_at ≥ from */
  from?: Date;
  /** created_at < to */
  to?: Date;
}

/** Which poison deliveries a bulk replay takes: every given selector must match. */
export interface PoisonSelector {
  ids?: string[];
  channel?: Channel;
  failedAfter?: Date;
  failedBefore?: Date;
}

export interface DeliveryStats {
  window: string;
  byStatus: Record<string, number>;
  byChannel: Record<string, Record<string, number>>;
  deliveredPerMinute: number;
  latencyP95Seconds: number | null;
}

export interface BulkReplayResult {
  dryRun: boolean;
  replayed: number;
  ids: string[];
}
