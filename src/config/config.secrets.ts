import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  compileTemplate,
  looksLikeGoTemplate,
  TemplateCompileError,
} from '../channels/templates/template-engine.js';
import type { IssueCollector, PathSegment } from './config.errors.js';
import { HONOURED_HTTP_CONFIG_KEYS, type HttpConfigInput } from './config.schema.js';
import type { HttpConfig, TemplateField } from './config.types.js';

export const GO_TEMPLATE_WARNING =
  "uses Go text/template syntax, which Tocsin does not run; the channel's default template is used for this field until it is rewritten in Tocsin's template language (see docs/templates.md)";

export const NOT_IMPLEMENTED_WARNING = 'is an Alertmanager setting that Tocsin accepts but does not implement; it has no effect';

/** Reads `*_file` secrets relative to the config file and compiles template fields, reporting with key paths. */
export class FieldResolver {
  constructor(
    private readonly baseDir: string,
    private readonly issues: IssueCollector,
  ) {}

  /** The secret from `value` or from the file `file` (both set is an error); empty → null. */
  secret(path: readonly PathSegment[], key: string, value: string | null | undefined, file: string | null | undefined): string | null {
    const hasValue = value !== null && value !== undefined && value !== '';
    const hasFile = file !== null && file !== undefined && file !== '';
    if (hasValue && hasFile) {
      this.issues.error([...path, `${key}_file`], `at most one of ${key} and ${key}_file may be set`);
      return null;
    }
    if (hasFile) return this.readFile([...path, `${key}_file`], file);
    return hasValue ? value : null;
  }

  readFile(path: readonly PathSegment[], file: string): string | null {
    const full = isAbsolute(file) ? file : resolve(this.baseDir, file);
    let content: string;
    try {
      content = readFileSync(full, 'utf8').trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      this.issues.error(path, `cannot read ${JSON.stringify(file)} (${full}): ${code}`);
      return null;
    }
    if (content === '') {
      this.issues.error(path, `the file ${JSON.stringify(file)} is empty`);
      return null;
    }
    return content;
  }

  /** Compiles a template field; Go syntax warns and falls back to the default (null). */
  template(path: readonly PathSegment[], source: string | null | undefined, options: { html?: boolean } = {}): TemplateField {
    if (source === null || source === undefined || source === '') return { source: null, compiled: null };
    if (looksLikeGoTemplate(source)) {
      this.issues.warn(path, GO_TEMPLATE_WARNING);
      return { source, compiled: null };
    }
    try {
      return { source, compiled: compileTemplate(source, options) };
    } catch (err) {
      if (err instanceof TemplateCompileError) {
        this.issues.error(path, err.message);
        return { source, compiled: null };
      }
      throw err;
    }
  }

  /** Warns for each Alertmanager key that is set but that Tocsin does not act on. */
  warnUnimplemented(path: readonly PathSegment[], raw: unknown, keys: readonly string[]): void {
    if (raw === null || typeof raw !== 'object') return;
    const obj = raw as Record<string, unknown>;
    for (const key of keys) {
      if (obj[key] !== undefined && obj[key] !== null) this.issues.warn([...path, key], NOT_IMPLEMENTED_WARNING);
    }
  }

  /** The parts of Prometheus' http_config Tocsin uses; other keys warn. */
  httpConfig(path: readonly PathSegment[], input: HttpConfigInput | null | undefined): HttpConfig | null {
    if (input === null || input === undefined) return null;
    for (const [key, value] of Object.entries(input)) {
      if (value === null || value === undefined) continue;
      if (!(HONOURED_HTTP_CONFIG_KEYS as readonly string[]).includes(key)) this.issues.warn([...path, key], NOT_IMPLEMENTED_WARNING);
    }
    let authorization: HttpConfig['authorization'] = null;
    let basicAuth: HttpConfig['basic_auth'] = null;
    if (input.authorization) {
      const credentials = this.secret([...path, 'authorization'], 'credentials', input.authorization.credentials, input.authorization.credentials_file);
      if (credentials === null) {
        this.issues.error([...path, 'authorization', 'credentials'], 'credentials is empty; set credentials or credentials_file');
      } else {
        authorization = { type: input.authorization.type ?? 'Bearer', credentials };
      }
    }
    const bearer = this.secret(path, 'bearer_token', input.bearer_token, input.bearer_token_file);
    if (bearer !== null && authorization === null) authorization = { type: 'Bearer', credentials: bearer };
    if (input.basic_auth) {
      const password = this.secret([...path, 'basic_auth'], 'password', input.basic_auth.password, input.basic_auth.password_file);
      basicAuth = { username: input.basic_auth.username ?? '', password: password ?? '' };
      if (authorization !== null) this.issues.error(path, 'at most one of basic_auth and authorization may be set');
    }
    return { authorization, basic_auth: basicAuth };
  }
}
