/** Where an alert came in; the bounded `source` label of `alerts_received_total`. */
export enum IngestSource {
  ApiV2 = 'api_v2',
  ApiV1 = 'api_v1',
  AlertmanagerWebhook = 'alertmanager_webhook',
  Grafana = 'grafana',
  /** Tocsin's own SLO and heartbeat alerts. */
  Tocsin = 'tocsin',
}

/** Alertmanager's `alertStatus.state`. */
export enum AlertState {
  Active = 'active',
  Suppressed = 'suppressed',
  Unprocessed = 'unprocessed',
}

/** Whether an alert fires at a given instant. */
export enum AlertStatus {
  Firing = 'firing',
  Resolved = 'resolved',
}

/** One alert of a request body after validation, before Alertmanager's time defaults. */
export interface IncomingAlert {
  /** Position in the body's alert list. */
  index: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** null = not set (absent, null or Go's zero time). */
  startsAt: Date | null;
  endsAt: Date | null;
  generatorURL: string;
}

/** An alert as stored (`alerts` table), with Alertmanager's times. */
export interface AlertRecord {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  endsAt: Date;
  /** false when endsAt is `now + resolve_timeout` set by Tocsin (Alertmanager's `Timeout`). */
  endsAtGiven: boolean;
  updatedAt: Date;
  generatorURL: string;
  source: IngestSource;
}

/** Alertmanager's `Alert.ResolvedAt(now)`: its end time has come. */
export function isResolvedAt(alert: Pick<AlertRecord, 'endsAt'>, now: Date): boolean {
  return alert.endsAt.getTime() <= now.getTime();
}

export function statusAt(alert: Pick<AlertRecord, 'endsAt'>, now: Date): AlertStatus {
  return isResolvedAt(alert, now) ? AlertStatus.Resolved : AlertStatus.Firing;
}
