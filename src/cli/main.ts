import { Command, CommanderError } from 'commander';
import { ExitCode, type CliIo, type CliState } from './cli.io.js';
import { registerAuditCommands } from './audit.command.js';
import { registerConfigCommands } from './config.command.js';
import { registerTemplateCommands } from './template.command.js';
import { registerDeliveriesCommands } from './deliveries.command.js';
import { registerKeysCommands } from './keys.command.js';
import { registerPoisonCommands } from './poison.command.js';
import { registerSilencesCommands } from './silences.command.js';

const VERSION = '0.1.0';

/** The `tocsin` program; each command group registers itself from its own file. */
export function buildProgram(io: CliIo, state: CliState): Command {
  const program = new Command('tocsin')
    .description('Tocsin: alert routing and durable notification delivery')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  registerConfigCommands(program, io, state);
  registerTemplateCommands(program, io, state);
  registerPoisonCommands(program, io, state);
  registerDeliveriesCommands(program, io, state);
  registerKeysCommands(program, io, state);
  registerSilencesCommands(program, io, state);
  registerAuditCommands(program, io, state);
  // Sub-commands inherit the overrides, so their usage errors come back here too.
  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  }
  return program;
}

const OK_CODES = new Set(['commander.helpDisplayed', 'commander.version']);

/** Runs the CLI in-process; `argv` excludes `node` and the script. Resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const state: CliState = { exitCode: ExitCode.Ok };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (OK_CODES.has(err.code)) return ExitCode.Ok;
      return ExitCode.Usage;
    }
    io.stderr(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.Failure;
  }
}

/** Entry point of bin/tocsin.js. */
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
