import { pino, type Logger, type LoggerOptions } from 'pino';
import { scrubSecrets } from './config/redact.js';

/**
 * Creates the root logger. Structured JSON on stderr (stdout may carry audio), with
 * secrets removed from every message and string field. Components take
 * `log.child({ component })`.
 */
export function createLogger(
  level: string = process.env.SKYCHOIR_LOG_LEVEL ?? 'info',
  destination: { write(line: string): void } = pino.destination(2),
): Logger {
  const options: LoggerOptions = {
    level,
    base: undefined,
    redact: { paths: ['*.apiKey', '*.password', '*.token', 'apiKey', 'password', 'token'], censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
    formatters: {
      log: (object) => scrubObject(object) as Record<string, unknown>,
    },
  };
  return pino(options, destination);
}

/** A logger that discards everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

function scrubObject(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrubSecrets(value.message), stack: value.stack && scrubSecrets(value.stack) };
  }
  if (Array.isArray(value)) return value.map((item) => scrubObject(item, depth + 1));

  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubObject(item, depth + 1);
  return out;
}
