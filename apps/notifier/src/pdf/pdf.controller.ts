import { Controller } from '@nestjs/common';
import { NotifierRpc } from '@billing/contracts';
import { OnRpc, type RpcContext, requireTenant } from '@billing/common';
import { PdfService } from './pdf.service';

/** `GET /v1/invoices/{id}/pdf` behind the gateway; one line. */
@Controller()
export class PdfController {
  constructor(private readonly pdfs: PdfService) {}

  @OnRpc(NotifierRpc.invoicePdf)
  invoicePdf(data: { id: string }, ctx: RpcContext) {
    return this.pdfs.invoicePdf(requireTenant(ctx), data.id);
  }
}
