/** One resolved `webhook_configs` entry. */
export interface WebhookTarget {
  receiver: string;
  /** The whole URL is treated as a secret (paths and query strings often carry tokens). */
  url: string;
  httpConfig?: {
    basicAuth?: { username: string; password: string };
    /** `Authorization: <type> <credentials>` (type defaults to Bearer). */
    authorization?: { type?: string; credentials: string };
  };
  /** 0 = all alerts. */
  maxAlerts?: number;
  /** Overrides the attempt timeout when shorter. */
  timeoutMs?: number;
}
