import { Writable } from 'node:stream';
import type { Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../../src/config.js';
import { createLogger } from '../../src/observability/logger.js';

export interface CapturedLogs {
  readonly logger: PinoLogger;
  /** Every line written so far, raw. */
  readonly lines: string[];
  /** Every line parsed as JSON (throws if one is not JSON: that is a finding too). */
  readonly entries: () => Record<string, unknown>[];
}

/** The production logger (same redaction), writing into memory instead of stdout. */
export function captureLogs(level: LogLevel = 'debug'): CapturedLogs {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger(level, stream);
  return {
    logger,
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
