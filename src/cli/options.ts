import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import type { SkyConfig } from '../config/schema.js';

/** The config file used when none is named and one exists in the working directory. */
export const DEFAULT_CONFIG_FILE = 'config/skychoir.yaml';

export interface CommonOptions {
  config?: string;
  set: string[];
}

/** Adds the options every subcommand shares: the config file and `--set path=value`. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', `YAML configuration (default: ${DEFAULT_CONFIG_FILE} if present)`)
    .option('--set <path=value>', 'override one setting, e.g. --set composer.seed=7 (repeatable)', collect, []);
}

/** Loads the configuration from the file, SKYCHOIR_* environment and the command's --set flags. */
export function configFrom(options: CommonOptions, extraSets: string[] = []): SkyConfig {
  const file = options.config ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  return loadConfig({ file, env: process.env, sets: [...options.set, ...extraSets] });
}

/** Parses a positive number option, or throws an error naming the option and the value. */
export function positiveNumber(name: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0) throw new InputError(`${name} must be a positive number, got "${value}"`);
    return number;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
