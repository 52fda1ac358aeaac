import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { DocumentNumberRepository } from './document-number.repository';
import { GenerationService } from './generation.service';
import { InvoiceRepository } from './invoice.repository';
import { InvoicesController } from './invoices.controller';
import { InvoicesService } from './invoices.service';
import { PaymentRepository } from './payment.repository';

@Module({
  imports: [LedgerModule],
  controllers: [InvoicesController],
  providers: [
    InvoicesService,
    GenerationService,
    InvoiceRepository,
    PaymentRepository,
    DocumentNumberRepository,
  ],
})
export class InvoicesModule {}
