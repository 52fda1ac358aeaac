import { Module } from '@nestjs/common';
import { InvoiceSourcesService } from './invoice-sources.service';

@Module({ providers: [InvoiceSourcesService], exports: [InvoiceSourcesService] })
export class InvoiceDataModule {}
