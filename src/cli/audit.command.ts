import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import type { VerifyResult } from '../audit/audit.types.js';
import { ApiClient, query } from './api-client.js';
import { ExitCode, type CliIo, type CliState } from './cli.io.js';
import { examples, printJson, runAction } from './cli-output.js';

interface FilterOptions {
  from?: string;
  to?: string;
  action?: string;
  actor?: string;
}

/** `tocsin audit verify|export`. */
export function registerAuditCommands(program: Command, io: CliIo, state: CliState): void {
  const audit = program.command('audit').description('the tamper-evident audit log');

  audit
    .command('verify')
    .description('recompute the hash chain; exit 1 when a row was changed or removed')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('tocsin audit verify'))
    .action((o: { json?: boolean }) =>
      runAction(io, state, {}, async () => {
        const result = await new ApiClient(io).json<VerifyResult>('GET', '/api/v1/audit/verify');
        if (o.json) printJson(io, result);
        else if (result.ok) io.stdout(`audit log intact: ${result.checked} entries checked\n`);
        else {
          io.stdout(`audit log BROKEN at entry ${result.firstBadId} (${result.checked} entries checked)\n`);
          io.stderr(`what to do: entry ${result.firstBadId} was changed, or the entry before it was deleted; compare with a backup or an earlier export\n`);
        }
        if (!result.ok) state.exitCode = ExitCode.Failure;
      }),
    );

  audit
    .command('export')
    .description('entries as CSV (at most 10,000, newest first) to standard output or a file')
    .option('--from <time>', 'at or after (RFC 3339)')
    .option('--to <time>', 'before (RFC 3339)')
    .option('--action <action>', 'e.g. delivery.replay, key.create')
    .option('--actor <name-or-id>', 'key name or key id')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .addHelpText('after', examples('tocsin audit export --action delivery.replay --from 2026-01-01T00:00:00Z -o replays.csv'))
    .action((o: FilterOptions & { output?: string }) =>
      runAction(io, state, {}, async () => {
        const res = await new ApiClient(io).send('GET', `/api/v1/audit/export.csv${query({ from: o.from, to: o.to, action: o.action, actor: o.actor })}`);
        const truncated = res.headers.get('x-export-truncated') === 'true';
        if (o.output) {
          const path = resolve(io.cwd, o.output);
          await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(path));
          io.stderr(`wrote ${res.headers.get('x-export-rows') ?? '?'} entries to ${path}\n`);
        } else {
          const decoder = new TextDecoder();
          for await (const chunk of Readable.fromWeb(res.body as WebReadableStream<Uint8Array>)) io.stdout(decoder.decode(chunk as Uint8Array, { stream: true }));
          io.stdout(decoder.decode());
        }
        if (truncated) io.stderr('warning: more entries matched than one export holds (10,000): narrow --from/--to and export again\n');
      }),
    );
}
