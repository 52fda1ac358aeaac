import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PlatformModule } from '@billing/common';
import type { z } from 'zod';
import type { notifierConfigSchema } from './config';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { notifierMigrations } from './migrations';
import { PdfModule } from './pdf/pdf.module';
import { ReceivablesModule } from './receivables/receivables.module';
import { RemindersModule } from './reminders/reminders.module';

export type NotifierConfig = z.infer<typeof notifierConfigSchema>;

@Module({})
export class NotifierAppModule {
  static forRoot(config: NotifierConfig): DynamicModule {
    return {
      module: NotifierAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'notifier', config, migrations: notifierMigrations }),
        ScheduleModule.forRoot({ cronJobs: false, timeouts: false, intervals: true }),
        PdfModule,
        ReceivablesModule,
        DeliveriesModule,
        RemindersModule,
      ],
    };
  }
}
