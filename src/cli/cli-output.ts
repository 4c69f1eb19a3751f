import Table from 'cli-table3';
import { ApiCallError, ApiUnreachableError, CliSetupError } from './api-client.js';
import { ExitCode, type CliIo, type CliState } from './cli.io.js';

/** A plain table (no colours, so it reads the same in a terminal, a pipe and a test). */
export function table(head: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const t = new Table({ head, style: { head: [], border: [] }, wordWrap: true });
  for (const r of rows) t.push(r.map((c) => (c === null || c === undefined ? '' : String(c))));
  return `${t.toString()}\n`;
}

/** Label/value pairs, one per line, aligned. */
export function fields(pairs: Array<[string, string | number | null | undefined]>): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v === null || v === undefined || v === '' ? '-' : String(v)}\n`).join('');
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** What to do next, per status, unless the command knows better. */
export interface Hints {
  notFound?: string;
  conflict?: string;
  invalid?: string;
}

function hintFor(err: ApiCallError, hints: Hints): string {
  switch (err.status) {
    case 400:
      return hints.invalid ?? 'fix the values named above and run the command again';
    case 401:
      return 'TOCSIN_TOKEN is unknown, expired or revoked: set it to a valid API key';
    case 403:
      return 'this key lacks the scope this command needs: use a key that has it (see `tocsin keys list`, as an admin)';
    case 404:
      return hints.notFound ?? 'check the id and try again';
    case 409:
      return hints.conflict ?? 'the object changed meanwhile: look at it again and decide';
    case 413:
      return 'send less at once';
    default:
      return err.status >= 500
        ? `Tocsin failed on its side: look at its logs${err.problem.requestId ? ` for request id ${err.problem.requestId}` : ''} and retry`
        : 'see the detail above';
  }
}

/**
 * Runs a command's action: prints an API problem as title, detail, field errors and what to do,
 * and sets the exit code (1 for a failed call, 2 for a setup/usage problem).
 */
export async function runAction(io: CliIo, state: CliState, hints: Hints, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (err instanceof ApiCallError) {
      const title = err.problem.title ?? `HTTP ${err.status}`;
      io.stderr(`error: ${title} (${err.status})${err.problem.detail ? `: ${err.problem.detail}` : ''}\n`);
      for (const e of err.problem.errors ?? []) io.stderr(`  ${e.path}: ${e.message}\n`);
      io.stderr(`what to do: ${hintFor(err, hints)}\n`);
      state.exitCode = ExitCode.Failure;
      return;
    }
    if (err instanceof ApiUnreachableError) {
      io.stderr(`error: ${err.message}\nwhat to do: check TOCSIN_URL and that the service is running\n`);
      state.exitCode = ExitCode.Failure;
      return;
    }
    if (err instanceof CliSetupError) {
      io.stderr(`error: ${err.message}\nwhat to do: ${err.hint}\n`);
      state.exitCode = ExitCode.Usage;
      return;
    }
    throw err;
  }
}

/** Help text appended to a command: one or more examples. */
export function examples(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
