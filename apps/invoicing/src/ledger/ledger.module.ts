import { Module } from '@nestjs/common';
import { JournalRepository } from './journal.repository';
import { LedgerController } from './ledger.controller';
import { LedgerService } from './ledger.service';

/** The journal and its reports. Invoices post through the exported JournalRepository. */
@Module({
  controllers: [LedgerController],
  providers: [LedgerService, JournalRepository],
  exports: [JournalRepository],
})
export class LedgerModule {}
