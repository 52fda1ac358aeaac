import { Controller, Get, Inject } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE, NATS } from '../tokens';
import type { BusConnection } from '../bus/nats';

/** `/health` on every app: the database answers and NATS (with JetStream) answers. */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(NATS) private readonly bus: BusConnection,
  ) {}

  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([() => this.database(), () => this.nats()]);
  }

  private async database() {
    const session = this.indicators.check('database');
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 2000);
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message });
    }
  }

  private async nats() {
    const session = this.indicators.check('nats');
    if (this.bus.nc.isClosed()) return session.down({ message: 'connection closed' });
    try {
      const jsm = await jetstreamManager(this.bus.nc, { timeout: 2000 });
      await withTimeout(jsm.getAccountInfo(), 2000);
      return session.up({ server: this.bus.nc.getServer() });
    } catch (err) {
      return session.down({ message: (err as Error).message });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}
