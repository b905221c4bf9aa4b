import { pino, type Logger, type LoggerOptions } from 'pino';
import { scrubSecrets } from './config/redact.js';

/** Levels by component name (config `log.components`), e.g. `{ camera: 'debug' }`. */
export type ComponentLevels = Readonly<Record<string, string>>;

/**
 * Creates the root logger. Structured JSON on stderr (stdout may carry audio), with
 * secrets removed from every message and string field. Components take
 * `log.child({ component })`.
 *
 * `components` gives some components a level of their own, more or less verbose than
 * `level`: every child whose bindings carry that `component` (a grandchild too, and the
 * latest binding wins when a child renames its component) takes it when it is created.
 * A component not named keeps its parent's level. The component's level overrides a
 * `level` passed in the child's own options. Unknown level names throw at once, naming
 * the component.
 */
export function createLogger(
  level: string = process.env.SKYCHOIR_LOG_LEVEL ?? 'info',
  destination: { write(line: string): void } = pino.destination(2),
  components: ComponentLevels = {},
): Logger {
  checkComponentLevels(components);

  const options: LoggerOptions = {
    level,
    onChild: (child) => applyComponentLevel(child, components),
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

function applyComponentLevel(child: Logger, components: ComponentLevels): void {
  const component: unknown = child.bindings().component;
  if (typeof component !== 'string' || !Object.hasOwn(components, component)) return;
  child.level = components[component]!;
}

function checkComponentLevels(components: ComponentLevels): void {
  const known = Object.keys(pino.levels.values).concat('silent');
  for (const [component, level] of Object.entries(components)) {
    if (!known.includes(level)) {
      throw new Error(`log.components.${component}: unknown level '${level}' (expected one of ${known.join(', ')})`);
    }
  }
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
