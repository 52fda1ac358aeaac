import type { z } from 'zod';
import { type BaseConfig, ConfigError, loadConfig } from '../config/config';
import { createDataSource, type MigrationClass, runMigrations } from '../db/database';
import { platformMigrations } from './platform.module';

/**
 * `node dist/apps/<app>/src/migrate.js`: applies the app's migrations and exits — what the Kubernetes
 * migrations job runs before the pods roll (the apps also migrate at boot unless MIGRATIONS_RUN=false).
 */
export async function migrateAndExit<S extends z.ZodType>(
  service: string,
  configSchema: S,
  migrations: MigrationClass[],
): Promise<void> {
  let config: BaseConfig;
  try {
    config = loadConfig(configSchema) as BaseConfig;
  } catch (err) {
    process.stderr.write(`${service}: ${(err as Error).message}\n`);
    process.exit(err instanceof ConfigError ? 78 : 1);
  }
  const ds = createDataSource({
    url: config.DATABASE_URL,
    schema: config.DB_SCHEMA,
    migrations: platformMigrations(migrations),
    poolSize: 2,
    applicationName: `${service}-migrate`,
  });
  try {
    await ds.initialize();
    const applied = await runMigrations(ds, config.DB_SCHEMA);
    process.stdout.write(
      JSON.stringify({ service, schema: config.DB_SCHEMA, applied, level: 'info', msg: 'migrations done' }) +
        '\n',
    );
  } catch (err) {
    process.stderr.write(`${service}: migration failed: ${(err as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}
