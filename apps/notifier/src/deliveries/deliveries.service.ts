import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryKind, DeliveryView, TenantContext } from '@billing/contracts';
import { CONFIG, type Tx } from '@billing/common';
import type { NotifierConfig } from '../app.module';
import { messageIdFor } from '../mail/email-message';
import { deliveryIdFor, mapDelivery } from './delivery.model';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryWorker } from './delivery.worker';

export interface DeliveryRequest {
  tenantId: string;
  invoiceId: string;
  kind: DeliveryKind;
  reminderOffset: number | null;
}

/** Queues emails (at most one per invoice, kind and reminder offset) and shows what became of them. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly worker: DeliveryWorker,
    @Inject(CONFIG) private readonly config: NotifierConfig,
  ) {}

  /** In the caller's transaction; answers how many were new. The worker is woken after the commit. */
  async request(tx: Tx, requests: DeliveryRequest[]): Promise<number> {
    const created = await this.deliveries.request(
      tx.manager,
      requests.map((r) => {
        const id = deliveryIdFor(r.tenantId, r.invoiceId, r.kind, r.reminderOffset);
        return { id, ...r, messageId: messageIdFor(id, this.config.MAIL_FROM) };
      }),
    );
    // The worker polls anyway; this only saves the wait once the transaction has committed.
    if (created.length) setTimeout(() => this.worker.kick(), 50).unref();
    return created.length;
  }

  async listForInvoice(tenant: TenantContext, invoiceId: string): Promise<{ data: DeliveryView[] }> {
    return { data: (await this.deliveries.listForInvoice(tenant.id, invoiceId)).map(mapDelivery) };
  }
}
