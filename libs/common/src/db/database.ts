import { DataSource, type MigrationInterface } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

export interface DatabaseOptions {
  url: string;
  schema: string;
  migrations: MigrationClass[];
  poolSize?: number;
  applicationName?: string;
}

/**
 * One DataSource per app, confined to the app's own schema through `search_path`: no app reads
 * another app's tables. The schema is built by migrations only (`synchronize` is never on).
 */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? options.schema,
      options: `-c search_path=${options.schema}`,
      /**
       * pg emits 'error' on a client whose server went away (a restart, pg_terminate_backend). pg-pool
       * listens while a client is idle and TypeORM while a query runner holds it; an error that reaches a
       * client between the two, or after both let go, has no listener and ends the process (seen once in
       * invoicing when PostgreSQL was stopped mid-run). Every client keeps a listener of its own; the pool
       * and the query runners still do the cleaning up, and the failure still reaches the query.
       */
      onConnect: (client: { on(event: 'error', listener: () => void): unknown }) => {
        client.on('error', () => undefined);
      },
    },
  });
}

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so replicas starting together (or a
 * Kubernetes migrations job and an app) never run them twice.
 */
export async function runMigrations(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${schema}`])
      .catch(() => undefined);
    await runner.release();
  }
}
