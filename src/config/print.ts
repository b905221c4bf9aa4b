import { stringify } from 'yaml';
import { maskSecret, maskUrlPassword, scrubSecrets } from './redact.js';
import { SECRET_PATHS, URL_PATHS, type SkyConfig } from './schema.js';

/** The configuration as safe to show anywhere: secrets masked, URL passwords removed. */
export function redactConfig(config: SkyConfig): SkyConfig {
  const copy = structuredClone(config) as unknown as Record<string, Record<string, unknown>>;

  for (const path of SECRET_PATHS) {
    const [section, field] = path.split('.') as [string, string];
    if (copy[section]?.[field] !== undefined) copy[section]![field] = maskSecret(copy[section]![field] as string);
  }
  for (const path of URL_PATHS) {
    const [section, field] = path.split('.') as [string, string];
    const value = copy[section]?.[field];
    if (typeof value === 'string') copy[section]![field] = scrubSecrets(maskUrlPassword(value));
  }

  return copy as unknown as SkyConfig;
}

/** YAML text of the redacted configuration. */
export function printConfig(config: SkyConfig): string {
  return stringify(redactConfig(config));
}
