import { type Command, InvalidArgumentError } from 'commander';
import type { Page } from '../common/pagination.js';
import type { BulkReplayResult, DeliveryView } from '../delivery/deliveries.types.js';
import { ApiClient, query } from './api-client.js';
import type { CliIo, CliState } from './cli.io.js';
import { examples, printJson, runAction, table } from './cli-output.js';

export function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError('a whole number from 1 to 500');
  return n;
}

export function parseId(value: string): string {
  if (!/^\d{1,18}$/.test(value)) throw new InvalidArgumentError('ids are numbers');
  return value;
}

function parseTime(value: string): string {
  if (Number.isNaN(Date.parse(value)) || !/^\d{4}-\d\d-\d\dT/.test(value)) throw new InvalidArgumentError('an RFC 3339 time such as 2026-01-01T00:00:00Z');
  return value;
}

export function deliveryRows(items: DeliveryView[]): string {
  return table(
    ['ID', 'CHANNEL', 'RECIPIENT', 'RECEIVER', 'RETRIES', 'FAILED AT', 'ERROR'],
    items.map((d) => [d.id, d.channel, d.recipient, d.receiver, d.retryCount, d.failedAt, d.errorMessage]),
  );
}

/** `tocsin poison list|replay|discard`. */
export function registerPoisonCommands(program: Command, io: CliIo, state: CliState): void {
  const poison = program.command('poison').description('the poison queue: deliveries that could not get through');

  poison
    .command('list')
    .description('list poison deliveries, newest failure first')
    .option('--channel <channel>', 'only this channel (slack, pagerduty, sms, email, webhook, log)')
    .option('--limit <n>', 'at most this many (1-500)', parseLimit, 50)
    .option('--cursor <cursor>', 'the next page, as printed by the previous one')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('tocsin poison list --channel sms', 'tocsin poison list --json | jq -r ".items[].id"'))
    .action((o: { channel?: string; limit: number; cursor?: string; json?: boolean }) =>
      runAction(io, state, {}, async () => {
        const page = await new ApiClient(io).json<Page<DeliveryView>>('GET', `/api/v1/poison${query({ channel: o.channel, limit: o.limit, cursor: o.cursor })}`);
        if (o.json) return printJson(io, page);
        if (page.items.length === 0) {
          io.stdout('the poison queue is empty\n');
          return;
        }
        io.stdout(deliveryRows(page.items));
        if (page.nextCursor) io.stdout(`more: tocsin poison list --cursor ${page.nextCursor}\n`);
      }),
    );

  poison
    .command('replay')
    .description('send poison deliveries again: one by id, or several by ids and/or filters (with --reason)')
    .argument('[ids...]', 'delivery ids', (v: string, prev: string[] = []) => [...prev, parseId(v)])
    .option('--channel <channel>', 'every poison delivery of this channel')
    .option('--failed-after <time>', 'that failed at or after this time (RFC 3339)', parseTime)
    .option('--failed-before <time>', 'that failed before this time (RFC 3339)', parseTime)
    .option('--dry-run', 'only list what would be replayed')
    .option('--reason <text>', 'why (audited; at least 20 characters when replaying more than one id or by filter)')
    .option('--json', "print the API's JSON")
    .addHelpText(
      'after',
      examples(
        'tocsin poison replay 1234 --reason "webhook endpoint fixed by platform"',
        'tocsin poison replay --channel sms --failed-after 2026-01-01T00:00:00Z --dry-run --reason "Twilio outage over at 03:10"',
      ),
    )
    .action((ids: string[] | undefined, o: { channel?: string; failedAfter?: string; failedBefore?: string; dryRun?: boolean; reason?: string; json?: boolean }) =>
      runAction(io, state, { conflict: 'it is not poison any more: see `tocsin deliveries show ID`', notFound: 'check the id with `tocsin poison list`' }, async () => {
        const client = new ApiClient(io);
        const list = ids ?? [];
        const filtered = o.channel !== undefined || o.failedAfter !== undefined || o.failedBefore !== undefined;
        if (list.length === 1 && !filtered && !o.dryRun) {
          const d = await client.json<DeliveryView>('POST', `/api/v1/poison/${list[0]}/replay`, o.reason ? { reason: o.reason } : {});
          if (o.json) return printJson(io, d);
          io.stdout(`delivery ${d.id} replayed: now ${d.status}, retry count ${d.retryCount}, due ${d.dueAt}\n`);
          return;
        }
        const result = await client.json<BulkReplayResult>('POST', '/api/v1/poison/replay', {
          ids: list.length > 0 ? list : undefined,
          channel: o.channel,
          failedAfter: o.failedAfter,
          failedBefore: o.failedBefore,
          dryRun: o.dryRun ?? false,
          reason: o.reason,
        });
        if (o.json) return printJson(io, result);
        const what = `${result.replayed} deliver${result.replayed === 1 ? 'y' : 'ies'}`;
        io.stdout(`${result.dryRun ? `dry run: would replay ${what}` : `replayed ${what}`}${result.ids.length ? `: ${result.ids.join(', ')}` : ''}\n`);
      }),
    );

  poison
    .command('discard')
    .description('give up on a poison delivery for good (audited)')
    .argument('<id>', 'delivery id', parseId)
    .requiredOption('--reason <text>', 'why it will never be sent (at least 20 characters)')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('tocsin poison discard 1234 --reason "number disconnected, on-call changed"'))
    .action((id: string, o: { reason: string; json?: boolean }) =>
      runAction(io, state, { conflict: 'only poison deliveries can be discarded: see `tocsin deliveries show ID`', notFound: 'check the id with `tocsin poison list`' }, async () => {
        const d = await new ApiClient(io).json<DeliveryView>('POST', `/api/v1/poison/${id}/discard`, { reason: o.reason });
        if (o.json) return printJson(io, d);
        io.stdout(`delivery ${d.id} discarded\n`);
      }),
    );
}
