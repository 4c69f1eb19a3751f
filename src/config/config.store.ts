import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EnvMap } from './config.env.js';
import { ConfigInvalidError, type ConfigIssue } from './config.errors.js';
import type { ConfigHolder } from './config.holder.js';
import { defaultConfig } from './config.defaults.js';
import { loadConfigFile } from './config.loader.js';
import type { TocsinConfig } from './config.types.js';

export const DEFAULT_CONFIG_FILE = 'tocsin.yml';

export interface ConfigSource {
  /** The file to read, or null for the built-in default. */
  path: string | null;
  /** True when neither TOCSIN_CONFIG nor ./tocsin.yml exists: the caller logs a warning once. */
  usedDefault: boolean;
}

/** `TOCSIN_CONFIG`, else `./tocsin.yml` if present, else the built-in default. */
export function resolveConfigSource(env: EnvMap, cwd: string): ConfigSource {
  const explicit = env.TOCSIN_CONFIG;
  if (explicit !== undefined && explicit !== '') return { path: resolve(cwd, explicit), usedDefault: false };
  const local = resolve(cwd, DEFAULT_CONFIG_FILE);
  if (existsSync(local)) return { path: local, usedDefault: false };
  return { path: null, usedDefault: true };
}

export interface ReloadResult {
  ok: boolean;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

export type ConfigListener = (config: TocsinConfig, previous: TocsinConfig) => void;

export interface ConfigStoreOptions {
  /** Variables for `${VAR}` and for choosing the file (TOCSIN_CONFIG, REDIS_URL). */
  env: EnvMap;
  /** Where `./tocsin.yml` and a relative TOCSIN_CONFIG are looked up. */
  cwd: string;
}

/**
 * The running config. `open` loads it once (throws ConfigInvalidError when the file is
 * invalid); `reload` re-reads the same file and keeps the running config when the new one
 * fails validation. Listeners hear about every successful reload.
 */
export class ConfigStore implements ConfigHolder {
  private config: TocsinConfig;
  private readonly listeners = new Set<ConfigListener>();

  private constructor(
    readonly source: ConfigSource,
    private readonly env: EnvMap,
    config: TocsinConfig,
    /** Warnings of the first load, for the caller to log. */
    readonly warnings: readonly ConfigIssue[],
  ) {
    this.config = config;
  }

  static open(options: ConfigStoreOptions): ConfigStore {
    const source = resolveConfigSource(options.env, options.cwd);
    if (source.path === null) return new ConfigStore(source, options.env, defaultConfig(), []);
    const result = loadConfigFile(source.path, options.env);
    if (!result.ok) throw new ConfigInvalidError(result.errors, source.path);
    return new ConfigStore(source, options.env, result.config, result.warnings);
  }

  /** A store over an already-loaded config (tests, tools). */
  static fromConfig(config: TocsinConfig, env: EnvMap = {}, path: string | null = null): ConfigStore {
    return new ConfigStore({ path, usedDefault: path === null }, env, config, []);
  }

  get usedDefault(): boolean {
    return this.source.usedDefault;
  }

  get path(): string | null {
    return this.source.path;
  }

  current(): TocsinConfig {
    return this.config;
  }

  /** Re-reads the file. On failure the running config stays and the errors say why. */
  reload(): ReloadResult {
    if (this.source.path === null) {
      // No file was found at start: the built-in default stays (restart to pick up a new file).
      return {
        ok: true,
        errors: [],
        warnings: [{ path: '', message: 'no config file was found at start (TOCSIN_CONFIG unset, no ./tocsin.yml): the built-in default stays' }],
      };
    }
    const result = loadConfigFile(this.source.path, this.env);
    if (!result.ok) return { ok: false, errors: result.errors, warnings: result.warnings };
    const previous = this.config;
    this.config = result.config;
    for (const listener of this.listeners) listener(result.config, previous);
    return { ok: true, errors: [], warnings: result.warnings };
  }

  /** Called after each successful reload; returns a function that unsubscribes. */
  onChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
