import { pino, type Logger } from 'pino';

/** A logger whose lines are kept in memory as parsed JSON objects, for asserting on logs. */
export function memoryLogger(level = 'info'): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level, base: undefined }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

/** Log lines at warn level or above (pino levels: 40 warn, 50 error, 60 fatal). */
export function problemsIn(lines: Array<Record<string, unknown>>): string[] {
  return lines.filter((line) => Number(line.level) >= 40).map((line) => JSON.stringify(line));
}
