import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PlatformModule } from '@billing/common';
import type { z } from 'zod';
import type { schedulerConfigSchema } from './config';
import { DailyModule } from './daily/daily.module';
import { schedulerMigrations } from './migrations';
import { RunsModule } from './runs/runs.module';

export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;

@Module({})
export class SchedulerAppModule {
  static forRoot(config: SchedulerConfig): DynamicModule {
    return {
      module: SchedulerAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'scheduler', config, migrations: schedulerMigrations }),
        ScheduleModule.forRoot({ cronJobs: false, timeouts: false, intervals: config.SCHEDULER_DAILY_RUNS }),
        RunsModule,
        DailyModule,
      ],
    };
  }
}
