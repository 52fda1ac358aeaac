import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../tokens';

const HOUR = 60 * 60 * 1000;

/**
 * Prunes what is only needed for a while: request results (retries come within hours; the gateway
 * forgets Idempotency-Keys after 24 h) after 7 days, and consumer inbox ids after 35 days (the event
 * stream keeps 30, so a replayed event is always recognised).
 */
@Injectable()
export class Housekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Housekeeping');
  private timer?: NodeJS.Timeout;

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), HOUR);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async prune(): Promise<void> {
    try {
      await this.dataSource.query(`DELETE FROM request_log WHERE created_at < now() - interval '7 days'`);
      await this.dataSource.query(`DELETE FROM inbox WHERE processed_at < now() - interval '35 days'`);
    } catch (err) {
      this.logger.warn(`pruning failed: ${(err as Error).message}`);
    }
  }
}
