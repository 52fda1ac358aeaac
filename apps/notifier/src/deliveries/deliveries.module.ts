import { Module } from '@nestjs/common';
import { InvoiceDataModule } from '../invoice-data/invoice-data.module';
import { MailModule } from '../mail/mail.module';
import { PdfModule } from '../pdf/pdf.module';
import { ReceivablesModule } from '../receivables/receivables.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { DeliveryRepository } from './delivery.repository';
import { DeliverySender } from './delivery.sender';
import { DeliveryWorker } from './delivery.worker';
import { SendTriggers } from './send-triggers.service';

@Module({
  imports: [InvoiceDataModule, MailModule, PdfModule, ReceivablesModule],
  controllers: [DeliveriesController],
  providers: [DeliveriesService, DeliveryRepository, DeliverySender, DeliveryWorker, SendTriggers],
  exports: [DeliveriesService],
})
export class DeliveriesModule {}
