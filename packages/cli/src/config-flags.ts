import type { PartialTrainConfig } from './config.js';
import { flagKey, SETTINGS, setPath } from './settings.js';

/** Command-line option values by commander's camelCased key, and whether the user typed each. */
export interface ParsedFlags {
  values: Record<string, unknown>;
  given: (key: string) => boolean;
}

/**
 * The part of the config that the user typed on the command line (defaults shown by `--help`
 * are left out, so that a config file's values survive them), placed where the settings table
 * says. A JSON options flag goes in first and the dedicated flags over it. Paths become absolute.
 */
export function flagsToConfig({ values, given }: ParsedFlags): PartialTrainConfig {
  const config: Record<string, unknown> = {};
  const typed = SETTINGS.filter((s) => s.path !== null && given(flagKey(s.flag))).sort((a, b) => a.path!.length - b.path!.length);
  for (const setting of typed) {
    let value = values[flagKey(setting.flag)];
    if (setting.kind === 'json') value = { ...(value as object) };
    if (setting.resolve) value = setting.resolve(value as string);
    setPath(config, setting.path!, value);
  }
  return config as PartialTrainConfig;
}
