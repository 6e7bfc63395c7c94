import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths that never reach the log, at any level: the signature header and every token.
 * pino replaces their values with "[redacted]".
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  'secret',
  'key',
  '*.token',
  '*.secret',
  '*.key',
];

/** Creates the service's root logger; parts of the service take child loggers from it. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'teams-webhook' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
