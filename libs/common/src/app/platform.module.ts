import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { ServiceName } from '@billing/contracts';
import type { DataSource } from 'typeorm';
import '../db/pg-types';
import { EventConsumers } from '../bus/consumers';
import { HandlerDiscovery } from '../bus/discovery';
import { type BusConnection, connectBus } from '../bus/nats';
import { OutboxRelay } from '../bus/outbox';
import { ParkedMessages } from '../bus/parked';
import { RpcClient, RpcServer } from '../bus/rpc';
import { UnitOfWork } from '../bus/unit-of-work';
import { ClockService } from '../clock/clock.service';
import type { BaseConfig } from '../config/config';
import { createDataSource, type MigrationClass, runMigrations } from '../db/database';
import { BusTables1763700000000 } from '../db/bus-tables.migration';
import { OutboxBySeq1763700000003 } from '../db/outbox-by-seq.migration';
import { OutboxText1763700000002 } from '../db/outbox-text.migration';
import { RequestLog1763700000001 } from '../db/request-log.migration';
import { HealthController } from '../health/health.controller';
import { Housekeeping } from '../db/housekeeping';
import { Metrics, MetricsController } from '../metrics/metrics';
import { CONFIG, DATA_SOURCE, NATS, SERVICE_NAME } from '../tokens';

export interface PlatformOptions {
  service: ServiceName;
  config: BaseConfig;
  /** The app's own migrations; the bus tables (outbox, inbox, parked) come first. */
  migrations: MigrationClass[];
}

export function platformMigrations(own: MigrationClass[]): MigrationClass[] {
  return [
    BusTables1763700000000,
    RequestLog1763700000001,
    OutboxText1763700000002,
    OutboxBySeq1763700000003,
    ...own,
  ];
}

/**
 * What every app has: config, database (migrated before the app serves), NATS bus (outbox relay,
 * durable consumers, RPC server and client, parked messages), clock, health and metrics.
 */
@Module({})
export class PlatformModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(NATS) private readonly bus: BusConnection,
  ) {}

  static forRoot(options: PlatformOptions): DynamicModule {
    const { service, config } = options;
    return {
      module: PlatformModule,
      global: true,
      imports: [DiscoveryModule, TerminusModule],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: SERVICE_NAME, useValue: service },
        {
          provide: DATA_SOURCE,
          useFactory: async () => {
            const ds = createDataSource({
              url: config.DATABASE_URL,
              schema: config.DB_SCHEMA,
              migrations: platformMigrations(options.migrations),
              poolSize: config.DB_POOL_SIZE,
              applicationName: service,
            });
            await ds.initialize();
            if (config.MIGRATIONS_RUN) await runMigrations(ds, config.DB_SCHEMA);
            return ds;
          },
        },
        {
          provide: NATS,
          useFactory: () => connectBus(config.NATS_URL, `${service}-${process.pid}`, config.BUS_ROOT),
        },
        Metrics,
        HandlerDiscovery,
        OutboxRelay,
        UnitOfWork,
        RpcServer,
        RpcClient,
        EventConsumers,
        ParkedMessages,
        ClockService,
        Housekeeping,
      ],
      exports: [
        CONFIG,
        SERVICE_NAME,
        DATA_SOURCE,
        NATS,
        Metrics,
        OutboxRelay,
        UnitOfWork,
        RpcServer,
        RpcClient,
        EventConsumers,
        ParkedMessages,
        ClockService,
      ],
    };
  }

  /** Runs after every other shutdown hook: consumers, relay and RPC have stopped by now. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.bus.nc.isClosed()) await this.bus.nc.drain().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
