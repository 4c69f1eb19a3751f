/** One problem found in a config file: `path` is the key path (`receivers[1].sms_configs[0].to`). */
export interface ConfigIssue {
  path: string;
  message: string;
  /** 1-based position in the file, when known (YAML syntax errors always have it). */
  line?: number;
  column?: number;
}

export type PathSegment = string | number;

/** `['receivers', 1, 'sms_configs', 0, 'to']` → `receivers[1].sms_configs[0].to`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `key.path: reason`, or `line L, column C: reason` for an issue with no key path. */
export function formatIssue(issue: ConfigIssue): string {
  if (issue.path !== '') return `${issue.path}: ${issue.message}`;
  if (issue.line !== undefined) return `line ${issue.line}, column ${issue.column ?? 1}: ${issue.message}`;
  return issue.message;
}

/** Thrown by callers that want an exception rather than a result (e.g. at boot). */
export class ConfigInvalidError extends Error {
  constructor(
    readonly errors: readonly ConfigIssue[],
    readonly source: string,
  ) {
    super(`invalid configuration in ${source}:\n${errors.map(formatIssue).join('\n')}`);
    this.name = 'ConfigInvalidError';
  }
}

/** Collects errors and warnings with their paths while a file is checked. */
export class IssueCollector {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];

  error(path: readonly PathSegment[] | string, message: string): void {
    this.errors.push({ path: typeof path === 'string' ? path : formatPath(path), message });
  }

  warn(path: readonly PathSegment[] | string, message: string): void {
    this.warnings.push({ path: typeof path === 'string' ? path : formatPath(path), message });
  }
}
