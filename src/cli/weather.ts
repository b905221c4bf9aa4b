import type { Command } from 'commander';
import { stringify } from 'yaml';
import { checkWeather } from '../app/weather-check.js';
import { CheckFailed } from '../errors.js';
import { createLogger } from '../log.js';
import { SystemClock } from '../time/clock.js';
import { configFrom, withCommonOptions, type CommonOptions } from './options.js';

export function registerWeather(program: Command): void {
  withCommonOptions(
    program
      .command('weather')
      .description(
        'Ask the configured weather provider once, now, and print the normalised observation and ' +
          'what the composer would be told: to check a key and a place.',
      ),
  ).action(async (flags: CommonOptions) => {
    const config = configFrom(flags);
    const log = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
    const check = await checkWeather(config, new SystemClock(), log);

    const heard = check.events.map(({ name, payload }) => ({ [name]: payload }));
    const answer = check.status === null ? 'no answer' : `HTTP ${check.status}`;
    process.stdout.write(`${check.provider}: ${check.url}\n${answer}\n`);
    if (heard.length > 0) process.stdout.write(`\nwhat the composer would be told:\n${stringify(heard)}`);

    if (check.failure) throw new CheckFailed(`weather check failed (${check.failure.kind}): ${check.failure.reason}`);
  });
}
