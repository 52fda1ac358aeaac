import { Injectable } from '@nestjs/common';
import type { EventEnvelope, TransactionRecorded } from '@billing/contracts';
import { type Tx, uuidv7 } from '@billing/common';
import { SuggestionRepository } from '../suggestions/suggestion.repository';
import { ImportWorker } from './import.worker';
import { dedupeKey, toTransactionRow } from './transaction-row';

/**
 * Stores transactions from the bus (keyed by source and external id, so a republished one adds
 * nothing) and queues their groups for re-mining, in the consumer's transaction.
 */
@Injectable()
export class TransactionIntake {
  constructor(
    private readonly suggestions: SuggestionRepository,
    private readonly worker: ImportWorker,
  ) {}

  async record(events: Array<EventEnvelope<TransactionRecorded>>, tx: Tx): Promise<void> {
    const rows = events.map((e) => ({
      tenantId: e.tenant_id,
      source: e.data.source,
      row: toTransactionRow(e.data),
    }));
    const inserted: Array<{
      tenant_id: string;
      counterparty_key: string;
      direction: 'incoming' | 'outgoing';
      currency: string;
    }> = await tx.manager.query(
      `INSERT INTO transactions (tenant_id, id, dedupe_key, source, external_id, booked_on, direction,
           amount_minor, currency, counterparty, counterparty_key, description)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::date[],
           $7::direction[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[])
         ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
         RETURNING tenant_id, counterparty_key, direction, currency`,
      [
        rows.map((r) => r.tenantId),
        rows.map(() => uuidv7()),
        rows.map((r) => dedupeKey(r.source, r.row.externalId, r.row.contentHash, 1)),
        rows.map((r) => r.source),
        rows.map((r) => r.row.externalId),
        rows.map((r) => r.row.bookedOn),
        rows.map((r) => r.row.direction),
        rows.map((r) => r.row.amountMinor),
        rows.map((r) => r.row.currency),
        rows.map((r) => r.row.counterparty),
        rows.map((r) => r.row.counterpartyKey),
        rows.map((r) => r.row.description),
      ],
    );
    await this.suggestions.enqueue(
      tx.manager,
      inserted.map((r) => r.tenant_id),
      inserted.map((r) => ({
        counterpartyKey: r.counterparty_key,
        direction: r.direction,
        currency: r.currency,
      })),
    );
    if (inserted.length) setTimeout(() => this.worker.kick(), 0);
  }
}
