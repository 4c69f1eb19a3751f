import pg from 'pg';
import type { Logger } from 'pino';

export const DELIVERY_CHANNEL = 'tocsin_deliveries';
const RECONNECT_MS = 1000;

/**
 * LISTEN on a dedicated connection outside the pool. Every notification calls `onWake`; after a
 * lost connection it reconnects every second and wakes once when back (notifications sent while
 * it was down are lost, and the slow poll covers them meanwhile).
 */
export class DeliveryListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly onWake: () => void,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, application_name: 'tocsin-delivery-listen' });
    this.client = client;
    let failed = false;
    const fail = (err?: Error) => {
      if (failed) return;
      failed = true;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (this.client === client) this.client = null;
      if (this.stopped) return;
      if (err) this.logger.warn({ err: { message: err.message } }, 'delivery LISTEN connection lost; reconnecting');
      this.timer = setTimeout(() => void this.connect(), RECONNECT_MS);
    };
    client.on('error', (err) => fail(err));
    client.on('end', () => fail());
    client.on('notification', () => this.onWake());
    try {
      await client.connect();
      await client.query(`LISTEN ${DELIVERY_CHANNEL}`);
      if (this.stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      this.onWake();
    } catch (err) {
      fail(err as Error);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
