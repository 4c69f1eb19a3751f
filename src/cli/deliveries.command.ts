import type { Command } from 'commander';
import type { DeliveryDetail } from '../delivery/deliveries.types.js';
import { ApiClient } from './api-client.js';
import type { CliIo, CliState } from './cli.io.js';
import { examples, fields, printJson, runAction, table } from './cli-output.js';
import { parseId } from './poison.command.js';

/** `tocsin deliveries show ID`. */
export function registerDeliveriesCommands(program: Command, io: CliIo, state: CliState): void {
  const deliveries = program.command('deliveries').description('notifications and their attempts');
  deliveries
    .command('show')
    .description('one delivery with every attempt')
    .argument('<id>', 'delivery id', parseId)
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('tocsin deliveries show 1234', 'tocsin deliveries show 1234 --json | jq .attempts'))
    .action((id: string, o: { json?: boolean }) =>
      runAction(io, state, { notFound: 'no delivery has this id (pruned after retention.delivered, or mistyped)' }, async () => {
        const d = await new ApiClient(io).json<DeliveryDetail>('GET', `/api/v1/deliveries/${id}`);
        if (o.json) return printJson(io, d);
        io.stdout(
          fields([
            ['id', d.id],
            ['status', d.status],
            ['channel', d.channel],
            ['receiver', d.receiver],
            ['recipient', d.recipient],
            ['group key', d.groupKey],
            ['fingerprints', d.fingerprints.join(', ')],
            ['retry count', d.retryCount],
            ['error', d.errorMessage],
            ['created', d.createdAt],
            ['due', d.dueAt],
            ['next attempt', d.nextAttemptAt],
            ['delivered', d.deliveredAt],
            ['failed', d.failedAt],
          ]),
        );
        if (d.attempts.length === 0) {
          io.stdout('no attempts yet\n');
          return;
        }
        io.stdout(
          table(
            ['STARTED', 'MS', 'OUTCOME', 'PROVIDER', 'STATUS', 'CODE', 'ERROR'],
            d.attempts.map((a) => [a.startedAt, a.durationMs, a.outcome, a.provider, a.providerStatus, a.providerCode, a.error]),
          ),
        );
      }),
    );
}
