import { loadConfigFromText } from './config.loader.js';
import type { TocsinConfig } from './config.types.js';

/** The built-in config used when no file exists: everything goes to the `log` receiver. */
export const DEFAULT_CONFIG_YAML = `# Tocsin's built-in configuration (no tocsin.yml found, TOCSIN_CONFIG unset).
route:
  receiver: log
  group_by: [alertname]
receivers:
  - name: log
    log_configs: [{}]
`;

let cached: TocsinConfig | undefined;

export function defaultConfig(): TocsinConfig {
  if (cached) return cached;
  const result = loadConfigFromText(DEFAULT_CONFIG_YAML, { env: {}, baseDir: process.cwd() });
  if (!result.ok) throw new Error(`built-in config is invalid: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  cached = result.config;
  return cached;
}
