import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatIssue } from '../config/config.errors.js';
import { loadConfigFile } from '../config/config.loader.js';
import { ExitCode, type CliIo, type CliState } from './cli.io.js';

/** `tocsin config check FILE`: every error as `key.path: reason`, every warning as `warning: …`. */
export function registerConfigCommands(program: Command, io: CliIo, state: CliState): void {
  const config = program.command('config').description('work with Tocsin config files');
  config
    .command('check')
    .description('validate a config file: print each error and warning with its key path')
    .argument('<file>', 'the YAML config file')
    .option('--json', 'print { ok, errors, warnings } as JSON')
    .action((file: string, options: { json?: boolean }) => {
      const path = resolve(io.cwd, file);
      const result = loadConfigFile(path, io.env);
      const errors = result.ok ? [] : result.errors;
      if (options.json) {
        io.stdout(`${JSON.stringify({ ok: result.ok, errors, warnings: result.warnings }, null, 2)}\n`);
      } else {
        for (const e of errors) io.stdout(`${formatIssue(e)}\n`);
        for (const w of result.warnings) io.stdout(`warning: ${formatIssue(w)}\n`);
        if (result.ok) {
          const c = result.config;
          io.stdout(
            `${file}: OK (${c.receivers.length} receivers, ${c.inhibit_rules.length} inhibit rules, ${result.warnings.length} warnings)\n`,
          );
        } else {
          io.stderr(`${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}\n`);
        }
      }
      state.exitCode = result.ok ? ExitCode.Ok : ExitCode.Failure;
    });
}
