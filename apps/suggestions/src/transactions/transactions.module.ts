import { Module } from '@nestjs/common';
import { SuggestionsModule } from '../suggestions/suggestions.module';
import { ImportRepository } from './import.repository';
import { ImportWorker } from './import.worker';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';
import { TransactionIntake } from './transaction.intake';
import { TransactionsConsumer } from './transactions.consumer';

@Module({
  imports: [SuggestionsModule],
  controllers: [ImportsController, TransactionsConsumer],
  providers: [ImportRepository, ImportsService, ImportWorker, TransactionIntake],
})
export class TransactionsModule {}
