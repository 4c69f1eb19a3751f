import type { Command } from 'commander';
import { type ApiKeyView, type IssuedKey, Scope } from '../auth/auth.types.js';
import type { Page } from '../common/pagination.js';
import { ApiClient } from './api-client.js';
import type { CliIo, CliState } from './cli.io.js';
import { examples, printJson, runAction, table } from './cli-output.js';
import { parseId } from './poison.command.js';

const SCOPES = Object.values(Scope).join(', ');

function issued(io: CliIo, k: IssuedKey, verb: string): void {
  io.stdout(`key ${k.id} (${k.name}) ${verb}, scopes ${k.scopes.join(', ')}\n`);
  io.stdout(`secret (shown once, store it now):\n${k.key}\n`);
}

/** `tocsin keys create|list|rotate|revoke` (needs an admin key). */
export function registerKeysCommands(program: Command, io: CliIo, state: CliState): void {
  const keys = program.command('keys').description('API keys (admin)');
  const notFound = 'no live key has this id: see `tocsin keys list`';

  keys
    .command('create')
    .description('make a key; its secret is printed once')
    .requiredOption('--name <name>', 'who or what uses it')
    .requiredOption('--scope <scope...>', `one or more of: ${SCOPES}`)
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('tocsin keys create --name prometheus --scope alerts:write', 'tocsin keys create --name oncall --scope deliveries:read deliveries:write'))
    .action((o: { name: string; scope: string[]; json?: boolean }) =>
      runAction(io, state, {}, async () => {
        const scopes = o.scope.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
        const k = await new ApiClient(io).json<IssuedKey>('POST', '/api/v1/keys', { name: o.name, scopes });
        if (o.json) return printJson(io, k);
        issued(io, k, 'created');
      }),
    );

  keys
    .command('list')
    .description('every key, without secrets')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('tocsin keys list'))
    .action((o: { json?: boolean }) =>
      runAction(io, state, {}, async () => {
        // Every key: the list is paged like every /api/v1 list, so follow the cursors.
        const client = new ApiClient(io);
        const body: Page<ApiKeyView> = { items: [], nextCursor: null };
        let cursor: string | null = null;
        do {
          const page: Page<ApiKeyView> = await client.json<Page<ApiKeyView>>('GET', `/api/v1/keys?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          body.items.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        if (o.json) return printJson(io, body);
        io.stdout(
          table(
            ['ID', 'NAME', 'SCOPES', 'CREATED', 'LAST USED', 'REVOKED'],
            body.items.map((k) => [k.id, k.name, k.scopes.join(', '), k.createdAt, k.lastUsedAt, k.revokedAt]),
          ),
        );
      }),
    );

  keys
    .command('rotate')
    .description('issue a new secret for a key; the old one keeps working for 24 h')
    .argument('<id>', 'key id', parseId)
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('tocsin keys rotate 7'))
    .action((id: string, o: { json?: boolean }) =>
      runAction(io, state, { notFound }, async () => {
        const k = await new ApiClient(io).json<IssuedKey>('POST', `/api/v1/keys/${id}/rotate`);
        if (o.json) return printJson(io, k);
        issued(io, k, 'rotated (the previous secret works for 24 h more)');
      }),
    );

  keys
    .command('revoke')
    .description('revoke a key and all its secrets at once')
    .argument('<id>', 'key id', parseId)
    .option('--json', 'print { id, revoked } as JSON')
    .addHelpText('after', examples('tocsin keys revoke 7'))
    .action((id: string, o: { json?: boolean }) =>
      runAction(io, state, { notFound }, async () => {
        await new ApiClient(io).json<void>('DELETE', `/api/v1/keys/${id}`);
        if (o.json) return printJson(io, { id, revoked: true });
        io.stdout(`key ${id} revoked\n`);
      }),
    );
}
