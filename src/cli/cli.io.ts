/** What a command may touch: output streams, the environment and the working folder (so the CLI runs in-process in tests). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** SPEC §1 exit codes. */
export enum ExitCode {
  Ok = 0,
  Failure = 1,
  Usage = 2,
}

/** Set by a command's action; the runner returns it. */
export interface CliState {
  exitCode: ExitCode;
}
