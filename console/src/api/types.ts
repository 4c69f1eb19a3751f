/** Reply and body shapes of the API routes the console calls (SPEC §3). */

export enum Scope {
  AlertsWrite = 'alerts:write',
  AlertsRead = 'alerts:read',
  SilencesWrite = 'silences:write',
  DeliveriesRead = 'deliveries:read',
  DeliveriesWrite = 'deliveries:write',
  AuditRead = 'audit:read',
  Admin = 'admin',
}
export const ALL_SCOPES: readonly Scope[] = Object.values(Scope);

export enum DeliveryStatus {
  Pending = 'pending',
  Sending = 'sending',
  Delivered = 'delivered',
  Poison = 'poison',
  Discarded = 'discarded',
  Coalesced = 'coalesced',
}
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = Object.values(DeliveryStatus);
export const CHANNELS = ['slack', 'pagerduty', 'sms', 'email', 'webhook', 'log'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export const AUDIT_ACTIONS = [
  'key.create',
  'key.rotate',
  'key.revoke',
  'delivery.replay',
  'delivery.bulk_replay',
  'delivery.discard',
  'delivery.pause',
  'delivery.resume',
  'silence.create',
  'silence.expire',
  'config.reload',
] as const;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface WhoAmI {
  keyId: string | null;
  keyName: string;
  scopes: Scope[];
}

export interface AlertView {
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL: string;
  source: string;
  silencedBy: string[];
  inhibitedBy: string[];
  receivers: string[];
}

export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  updatedAt: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

export interface NewSilence {
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface Delivery {
  id: string;
  status: DeliveryStatus;
  channel: ChannelName;
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
  nextAttemptAt: string | null;
}

export interface Attempt {
  startedAt: string;
  durationMs: number;
  outcome: 'delivered' | 'retry' | 'poison' | 'released';
  provider: string;
  providerStatus: number | null;
  providerCode: string | null;
  error: string | null;
}

export interface DeliveryDetail extends Delivery {
  attempts: Attempt[];
}

export interface DeliveryStats {
  window: string;
  byStatus: Record<string, number>;
  byChannel: Record<string, Record<string, number>>;
  deliveredPerMinute: number;
  latencyP95Seconds: number | null;
}

export interface BulkReplayBody {
  ids?: string[];
  channel?: ChannelName;
  failedAfter?: string;
  failedBefore?: string;
  dryRun: boolean;
  reason: string;
}

export interface BulkReplayResult {
  dryRun: boolean;
  replayed: number;
  ids: string[];
}

export interface SendingState {
  paused: boolean;
  since: string | null;
  by: string | null;
  reason: string | null;
}

export interface SloItem {
  name: string;
  value: number | null;
  unit: string;
  target: number;
  threshold: number;
  state: 'ok' | 'breach' | 'no_data';
  since: string;
  evaluatedAt: string | null;
}

export interface Heartbeat {
  name: string;
  source: string;
  lastBeatAt: string | null;
  lastState: string | null;
  stalenessSeconds: number | null;
  maxStalenessSeconds: number;
  state: 'ok' | 'stale' | 'no_data';
  since: string;
}

export interface Readiness {
  ready: boolean;
  status: string;
  reasons: string[];
}

export interface ApiKey {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedKey {
  id: string;
  name: string;
  scopes: Scope[];
  key: string;
  createdAt: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { keyId: string | null; keyName: string };
  action: string;
  target: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadId: string | null;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
}
