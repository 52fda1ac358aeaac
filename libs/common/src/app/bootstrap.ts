import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { z } from 'zod';
import type { BaseConfig } from '../config/config';
import { ConfigError, loadConfig } from '../config/config';
import { JsonLogger } from '../logging/json-logger';

export interface BootOptions<S extends z.ZodType> {
  service: string;
  configSchema: S;
  /** Builds the root module from the validated config. */
  module: (config: z.infer<S>) => unknown;
  /** App-specific HTTP setup (the gateway's body parsers, filters, docs). */
  configure?: (app: INestApplication, config: z.infer<S>) => void | Promise<void>;
}

/**
 * Starts an app: refuses to start on bad config (naming the variable), migrates its schema, then
 * listens on PORT with JSON logs and graceful shutdown on SIGTERM/SIGINT.
 */
export async function bootstrap<S extends z.ZodType>(options: BootOptions<S>): Promise<INestApplication> {
  let config: z.infer<S> & BaseConfig;
  try {
    config = loadConfig(options.configSchema) as z.infer<S> & BaseConfig;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${options.service}: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = new JsonLogger(options.service, config.LOG_LEVEL);
  const app = await NestFactory.create(options.module(config) as never, new ExpressAdapter(), {
    logger,
    bodyParser: false,
    abortOnError: false,
  });
  app.enableShutdownHooks();
  await options.configure?.(app, config);
  await app.listen(config.PORT);
  logger.log(`${options.service} listening on port ${config.PORT}`, 'Bootstrap');
  return app;
}
