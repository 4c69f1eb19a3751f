import type { TocsinConfig } from './config.types.js';

/**
 * The running configuration as the application sees it. Read `current()` at the moment of use
 * (a reload swaps it); never keep the object across awaits that may span a reload.
 */
export interface ConfigHolder {
  current(): TocsinConfig;
  onChange(listener: (config: TocsinConfig) => void): void;
}

export const CONFIG_HOLDER = Symbol('ConfigHolder');
