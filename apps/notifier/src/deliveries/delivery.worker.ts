import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DeliveryEvents, InvoiceEvents, type InvoiceView } from '@billing/contracts';
import { CONFIG, KickedLoop, ProblemError, UnitOfWork } from '@billing/common';
import type { NotifierConfig } from '../app.module';
import { PermanentDeliveryError } from '../mail/mail-transport';
import { ReceivableRepository } from '../receivables/receivable.repository';
import { type Delivery, mapDelivery, nextAttemptDelay } from './delivery.model';
import { DeliveryRepository } from './delivery.repository';
import { type AttemptOutcome, DeliverySender } from './delivery.sender';

/**
 * Sends what is due: every DELIVERY_POLL_MS (and when woken by a new request) it claims due attempts
 * up to DELIVERY_CONCURRENCY, each leased so that replicas never attempt one delivery at once and an
 * attempt whose process died is taken over. Outcomes commit with their events (outbox):
 * sent → `invoice.sent` / `delivery.reminder_sent`; last attempt failed → `delivery.failed`.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryWorker');
  private readonly inflight = new Set<Promise<void>>();
  private readonly loop: KickedLoop;
  private stopped = false;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly receivables: ReceivableRepository,
    private readonly sender: DeliverySender,
    private readonly uow: UnitOfWork,
    @Inject(CONFIG) private readonly config: NotifierConfig,
  ) {
    this.loop = new KickedLoop(
      () => this.poll(),
      config.DELIVERY_POLL_MS,
      (err) => this.logger.warn(`delivery poll failed: ${err.message}`),
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
    await Promise.allSettled([...this.inflight]);
  }

  /** Looks for due attempts now (a request was just committed, or one finished). */
  kick(): void {
    this.loop.kick();
  }

  private async poll(): Promise<void> {
    const room = this.config.DELIVERY_CONCURRENCY - this.inflight.size;
    if (room <= 0 || this.stopped) return;
    const claimed = await this.deliveries.claim(room, this.config.DELIVERY_LEASE_MS);
    for (const d of claimed) {
      const work: Promise<void> = this.run(d).finally(() => {
        this.inflight.delete(work);
        this.kick();
      });
      this.inflight.add(work);
    }
  }

  private async run(d: Delivery): Promise<void> {
    let outcome: AttemptOutcome;
    try {
      outcome = await this.sender.attempt(d);
    } catch (err) {
      await this.failed(d, err as Error);
      return;
    }
    try {
      if (outcome.outcome === 'cancelled') await this.deliveries.markCancelled(d, outcome.reason);
      else await this.sent(d, outcome.invoice, outcome.recipient);
    } catch (err) {
      // The mail is out but its record is not: the lease expires and the next attempt resends it
      // with the same Message-ID (receivers drop the copy). Logged loudly: it should never happen.
      this.logger.error(`delivery ${d.id} was sent but could not be recorded: ${(err as Error).message}`);
    }
  }

  private async sent(d: Delivery, invoice: InvoiceView, recipient: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const done = await this.deliveries.markSent(tx.manager, d, recipient);
      if (!done) return; // another worker owns this delivery now
      const delivery = mapDelivery(done);
      if (d.kind === 'invoice') {
        await this.receivables.recordSent(tx.manager, {
          tenantId: d.tenantId,
          invoiceId: d.invoiceId,
          issueDate: invoice.issue_date,
          dueDate: invoice.due_date,
          status: invoice.status,
        });
        tx.publish(InvoiceEvents.sent, d.tenantId, {
          invoice: {
            ...invoice,
            sent_at: invoice.sent_at ?? delivery.sent_at,
            delivery_status: 'sent',
            delivery_error: null,
          },
          delivery,
        });
      } else {
        tx.publish(DeliveryEvents.reminderSent, d.tenantId, { delivery });
      }
    });
  }

  private async failed(d: Delivery, err: Error): Promise<void> {
    const reason = describe(err);
    const permanent = err instanceof PermanentDeliveryError || isPermanentProblem(err);
    const delay = permanent
      ? null
      : nextAttemptDelay(d.attempts, this.config.DELIVERY_MAX_ATTEMPTS, this.config.DELIVERY_BACKOFF_MS);
    if (delay !== null) {
      this.logger.warn(`delivery ${d.id} attempt ${d.attempts} failed (${reason}); next in ${delay} ms`);
      await this.deliveries.markRetry(d, reason, delay, null);
      return;
    }
    this.logger.warn(`delivery ${d.id} failed for good after ${d.attempts} attempt(s): ${reason}`);
    await this.uow.run(async (tx) => {
      const done = await this.deliveries.markFailed(tx.manager, d, reason, null);
      if (done) tx.publish(DeliveryEvents.failed, d.tenantId, { delivery: mapDelivery(done) });
    });
  }
}

/** 404 (the invoice or customer is gone) or 409 (a bill) from a service: retrying cannot help. */
function isPermanentProblem(err: Error): boolean {
  return err instanceof ProblemError && [404, 409, 422].includes(err.problem.status);
}

function describe(err: Error): string {
  return err instanceof ProblemError ? (err.problem.detail ?? err.problem.title) : err.message;
}
