import { CardTemplateError } from './cards/card-renderer';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { RecordsDatabaseError } from './records/database';
import { startService } from './service';

const STARTUP_ERRORS: [new (...args: never[]) => Error, string][] = [
  [ConfigError, 'Configuration error'],
  [CardTemplateError, 'Card template error'],
  [RecordsDatabaseError, 'Records database error'],
];

/**
 * Prints why start-up failed in one line and exits 1, so a process manager detects the failure.
 * Settings, template and database errors carry their own explanation; any other error, such
 * as a port already in use, is printed with its message and code.
 */
function exitOnStartupError(error: unknown): never {
  const known = STARTUP_ERRORS.find(([type]) => error instanceof type);
  if (known !== undefined) {
    process.stderr.write(`${known[1]}: ${(error as Error).message}\n`);
  } else {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`Start-up failed${code ? ` (${code})` : ''}: ${message}\n`);
  }
  process.exit(1);
}

/** Reads the settings, or prints what is wrong and exits 1 before anything listens. */
function readConfig(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    return exitOnStartupError(error);
  }
}

/**
 * Keeps one failing request from taking the service down. Request handlers catch their own
 * errors; these handlers catch what escapes them, such as a stray timer callback, log it and keep
 * serving.
 */
function logEscapedErrors(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
  });
  process.on('uncaughtException', (error) => {
    logger.error({ err: error }, 'uncaught exception');
  });
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  logEscapedErrors(logger);
  const service = await startService(config, logger).catch(exitOnStartupError);
  if (config.developmentKeyFile !== undefined) {
    process.stderr.write(
      `\nNo TEAMS_WEBHOOK_SECRET is set, so requests are verified with a development key ` +
        `stored in ${config.developmentKeyFile}.\nSend a signed test mention with:\n\n` +
        `  npm run simulate -- "echo hello"\n\n`,
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    await service.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGHUP', () => {
    logger.info('SIGHUP received');
    service.reloadKeys();
  });
  await service.cardsCompiled.catch(exitOnStartupError);
}

main().catch(exitOnStartupError);
