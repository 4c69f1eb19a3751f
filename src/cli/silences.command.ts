import { type Command, InvalidArgumentError } from 'commander';
import { MatcherParseError, MatchType, parseMatcher } from '../alerts/matchers.js';
import type { GettableSilence, SilenceMatcher } from '../alerts/silence.types.js';
import { DurationError, parseDuration } from '../common/duration.js';
import type { Page } from '../common/pagination.js';
import { ApiClient } from './api-client.js';
import type { CliIo, CliState } from './cli.io.js';
import { examples, printJson, runAction, table } from './cli-output.js';

/** `alertname="Foo"`, `severity=~"crit.*"` (amtool's syntax) → Alertmanager's API matcher. */
export function toSilenceMatcher(text: string): SilenceMatcher {
  try {
    const m = parseMatcher(text);
    return {
      name: m.name,
      value: m.value,
      isRegex: m.type === MatchType.Regexp || m.type === MatchType.NotRegexp,
      isEqual: m.type === MatchType.Equal || m.type === MatchType.Regexp,
    };
  } catch (err) {
    if (err instanceof MatcherParseError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

function parseMs(value: string): number {
  try {
    const ms = parseDuration(value);
    if (ms <= 0) throw new InvalidArgumentError('must be longer than 0s');
    return ms;
  } catch (err) {
    if (err instanceof DurationError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

function showMatcher(m: SilenceMatcher): string {
  const op = m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}

/** `tocsin silences add|list|expire`. */
export function registerSilencesCommands(program: Command, io: CliIo, state: CliState): void {
  const silences = program.command('silences').description('silences: mute notifications for alerts that match');

  silences
    .command('add')
    .description('silence alerts that match every matcher')
    .argument('<matchers...>', 'label matchers as amtool writes them: name=value, name!=value, name=~regex, name!~regex', (v: string, prev: SilenceMatcher[] = []) => [
      ...prev,
      toSilenceMatcher(v),
    ])
    .requiredOption('--comment <text>', 'why (shown with the silence)')
    .option('--duration <duration>', 'how long, from now or --starts-at (e.g. 2h, 1d)', parseMs, 3_600_000)
    .option('--starts-at <time>', 'start later than now (RFC 3339)')
    .option('--author <name>', 'who silences (default: $USER)')
    .option('--json', "print the API's JSON")
    .addHelpText('after', examples('tocsin silences add alertname=DiskFull instance=~"db-.*" --duration 2h --comment "disk swap in progress"'))
    .action((matchers: SilenceMatcher[], o: { comment: string; duration: number; startsAt?: string; author?: string; json?: boolean }) =>
      runAction(io, state, {}, async () => {
        const start = o.startsAt ? new Date(o.startsAt) : new Date();
        if (Number.isNaN(start.getTime())) {
          io.stderr(`error: --starts-at is not a time: ${o.startsAt}\nwhat to do: give an RFC 3339 time such as 2026-01-01T00:00:00Z\n`);
          state.exitCode = 2;
          return;
        }
        const body = {
          matchers,
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + o.duration).toISOString(),
          createdBy: o.author ?? io.env.USER ?? 'tocsin-cli',
          comment: o.comment,
        };
        const created = await new ApiClient(io).json<{ id: string }>('POST', '/api/v1/silences', body);
        if (o.json) return printJson(io, created);
        io.stdout(`silence ${created.id} added until ${body.endsAt}\n`);
      }),
    );

  silences
    .command('list')
    .description('silences, newest first')
    .option('--json', "print the API's JSON")
    .option('--cursor <cursor>', 'the next page, as printed by the previous one')
    .addHelpText('after', examples('tocsin silences list'))
    .action((o: { json?: boolean; cursor?: string }) =>
      runAction(io, state, {}, async () => {
        const page = await new ApiClient(io).json<Page<GettableSilence>>('GET', `/api/v1/silences${o.cursor ? `?cursor=${encodeURIComponent(o.cursor)}` : ''}`);
        if (o.json) return printJson(io, page);
        io.stdout(
          table(
            ['ID', 'STATE', 'MATCHERS', 'ENDS', 'BY', 'COMMENT'],
            page.items.map((s) => [s.id, s.status.state, s.matchers.map(showMatcher).join(' '), s.endsAt, s.createdBy, s.comment]),
          ),
        );
        if (page.nextCursor) io.stdout(`more: tocsin silences list --cursor ${page.nextCursor}\n`);
      }),
    );

  silences
    .command('expire')
    .description('end a silence now')
    .argument('<id>', 'silence id')
    .option('--json', 'print { id, expired } as JSON')
    .addHelpText('after', examples('tocsin silences expire 1c0b5d1e-3a52-4bd4-9e1f-0e6f2c8a7b10'))
    .action((id: string, o: { json?: boolean }) =>
      runAction(io, state, { notFound: 'no silence has this id: see `tocsin silences list`' }, async () => {
        await new ApiClient(io).json<void>('DELETE', `/api/v1/silences/${encodeURIComponent(id)}`);
        if (o.json) return printJson(io, { id, expired: true });
        io.stdout(`silence ${id} expired\n`);
      }),
    );
}
