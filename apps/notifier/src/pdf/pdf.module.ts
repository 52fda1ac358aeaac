import { Module } from '@nestjs/common';
import { InvoiceDataModule } from '../invoice-data/invoice-data.module';
import { PdfController } from './pdf.controller';
import { PdfRenderer } from './pdf-renderer';
import { PdfService } from './pdf.service';

@Module({
  imports: [InvoiceDataModule],
  controllers: [PdfController],
  providers: [PdfRenderer, PdfService],
  exports: [PdfRenderer],
})
export class PdfModule {}
