import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { defineEvent, type ServiceName } from '@billing/contracts';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { z } from 'zod';
import { PlatformModule } from '../app/platform.module';
import { appConfigSchema, type BaseConfig } from '../config/config';

/** A test-only event (in the `tenant` family, so it lands in the event stream). */
export const ProbeEvent = defineEvent('tenant.probe', 1, z.object({ n: z.number().int(), note: z.string() }));
export const ProbeBatchEvent = defineEvent('tenant.probe_batch', 1, z.object({ n: z.number().int() }));

export class ProbeTable1763700099999 implements MigrationInterface {
  name = 'ProbeTable1763700099999';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE probes (n integer PRIMARY KEY, note text NOT NULL)');
    await q.query('CREATE TABLE probe_batches (n integer PRIMARY KEY)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE probe_batches');
    await q.query('DROP TABLE probes');
  }
}

export const probeConfigSchema = appConfigSchema({ port: 0, schema: 'probe' }, {});

/** A minimal app: the platform plus the probe table and whatever providers a test adds. */
@Module({})
export class ProbeAppModule {
  static forRoot(
    config: BaseConfig,
    providers: Provider[] = [],
    service: ServiceName = 'templates',
  ): DynamicModule {
    return {
      module: ProbeAppModule,
      imports: [PlatformModule.forRoot({ service, config, migrations: [ProbeTable1763700099999] })],
      providers,
    };
  }
}
