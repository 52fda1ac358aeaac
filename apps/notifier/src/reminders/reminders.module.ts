import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { ReceivablesModule } from '../receivables/receivables.module';
import { DailyReminders } from './daily-reminders';
import { ReminderRepository } from './reminder.repository';
import { RemindersController } from './reminders.controller';
import { RemindersService } from './reminders.service';

@Module({
  imports: [DeliveriesModule, ReceivablesModule],
  controllers: [RemindersController],
  providers: [RemindersService, ReminderRepository, DailyReminders],
})
export class RemindersModule {}
