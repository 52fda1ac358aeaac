import { Inject, Injectable } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { CalendarDateSchema } from '@billing/contracts';
import { todayInTimeZone } from '@billing/recurrence';
import type { BaseConfig } from '../config/config';
import { ProblemError, parseOrThrow } from '../errors/problem.error';
import { CONFIG, NATS } from '../tokens';
import { clockBucket, type BusConnection } from '../bus/nats';

const KEY = 'today';

/**
 * "Today" for a tenant: its calendar date in its IANA time zone. With CLOCK_MODE=manual every app
 * reads the date an operator set (kept in a JetStream key-value bucket, so all processes agree).
 */
@Injectable()
export class ClockService {
  private bucket?: Promise<KV>;

  constructor(
    @Inject(CONFIG) private readonly config: BaseConfig,
    @Inject(NATS) private readonly bus: BusConnection,
  ) {}

  get manual(): boolean {
    return this.config.CLOCK_MODE === 'manual';
  }

  now(): Date {
    return new Date();
  }

  async today(timeZone: string): Promise<string> {
    if (this.manual) {
      const set = await this.manualDate();
      if (set) return set;
    }
    return todayInTimeZone(timeZone, this.now());
  }

  /** The manually set date, or null when none is set (then the system date applies). */
  async manualDate(): Promise<string | null> {
    const entry = await (await this.kv()).get(KEY);
    return entry && entry.operation === 'PUT' ? entry.string() : null;
  }

  async setManualDate(date: string | null): Promise<void> {
    if (!this.manual) throw ProblemError.invalidState('The clock can only be set when CLOCK_MODE=manual.');
    if (date === null) {
      await (await this.kv()).delete(KEY);
      return;
    }
    await (await this.kv()).put(KEY, parseOrThrow(CalendarDateSchema, date, 'today'));
  }

  private kv(): Promise<KV> {
    this.bucket ??= clockBucket(this.bus.nc, this.bus.root);
    return this.bucket;
  }
}
