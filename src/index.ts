import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';

function main(): void {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  const app = createApp(config, logger);
  app.server.listen(config.port, config.host, () => {
    const address = app.server.address();
    logger.info(
      { host: address.address, port: address.port, webhookIds: app.keyRing.webhookIds },
      'listening',
    );
    if (config.developmentKeyFile !== undefined) {
      process.stderr.write(
        `\nNo TEAMS_WEBHOOK_SECRET is set, so requests are verified with a development key ` +
          `stored in ${config.developmentKeyFile}.\nSend a signed test mention with:\n\n` +
          `  npm run simulate -- "echo hello"\n\n`,
      );
    }
  });

  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    app.server.close(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main();
