import pg from 'pg';
import type { Logger } from 'pino';
import type { LeaderLock } from './leader.js';

/** The session advisory lock whose holder evaluates SLOs (one replica at a time). */
export const SLO_LEADER_LOCK = 7_361_010;

/**
 * Leadership by a PostgreSQL session advisory lock held on a dedicated connection, outside the
 * pool. The lock lives as long as that session: when the holder closes, crashes or loses its
 * connection, PostgreSQL releases it and the next replica to ask gets it. No home-made consensus.
 */
export class AdvisoryLeaderLock implements LeaderLock {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private held = false;
  private closed = false;
  private pid: number | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly key: number,
    private readonly logger: Logger,
  ) {}

  get isLeader(): boolean {
    return this.held;
  }

  fence(): { pid: number; key: number } | null {
    return this.held && this.pid !== null ? { pid: this.pid, key: this.key } : null;
  }

  /** The backend pid of the lock connection (for tests and logs), or null without one. */
  async backendPid(): Promise<number | null> {
    if (!this.client) return null;
    const r = await this.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return r.rows[0]?.pid ?? null;
  }

  /** True when this process holds the lock now: takes it when free, checks the session when held. */
  async acquire(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const client = await this.connect();
      if (this.held) {
        await client.query('SELECT 1');
        return this.held;
      }
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [this.key]);
      this.held = r.rows[0]?.ok === true;
      if (this.held) this.logger.info({ lock: this.key }, 'took the SLO leader lock; this replica evaluates SLOs');
      return this.held;
    } catch (err) {
      if (this.held) this.logger.warn({ err: { message: (err as Error).message } }, 'lost the SLO leader lock connection');
      this.drop();
      return false;
    }
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString, application_name: 'tocsin-slo-leader' });
      const lost = (): void => {
        if (this.client === client) this.drop();
      };
      client.on('error', lost);
      client.on('end', lost);
      await client.connect();
      this.pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? null;
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private drop(): void {
    const client = this.client;
    this.client = null;
    this.held = false;
    if (client) void client.end().catch(() => undefined);
  }

  /** Ends the session: the lock is released at once. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    this.held = false;
    if (client) await client.end().catch(() => undefined);
  }
}
