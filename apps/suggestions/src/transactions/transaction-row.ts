import { createHash } from 'crypto';
import type { TransactionInput } from '@billing/contracts';
import { parseAmount } from '@billing/common';
import { normaliseCounterparty } from '../mining/counterparty';

/** A validated transaction as stored: minor units, its group key and what identifies it. */
export interface TransactionRow {
  bookedOn: string;
  direction: 'incoming' | 'outgoing';
  amountMinor: string;
  currency: string;
  counterparty: string;
  counterpartyKey: string;
  description: string | null;
  externalId: string | null;
  /** The row's content, for rows without an external id (see `dedupeKey`). */
  contentHash: string;
}

export function toTransactionRow(input: TransactionInput): TransactionRow {
  const amountMinor = parseAmount(input.amount).toString();
  const description = input.description?.trim() || null;
  const counterparty = input.counterparty.trim();
  return {
    bookedOn: input.date,
    direction: input.direction,
    amountMinor,
    currency: input.currency,
    counterparty,
    counterpartyKey: normaliseCounterparty(counterparty),
    description,
    externalId: input.external_id?.trim() || null,
    contentHash: createHash('sha256')
      .update(
        [input.date, input.direction, amountMinor, input.currency, counterparty, description ?? ''].join(
          '\u0000',
        ),
        'utf8',
      )
      .digest('hex')
      .slice(0, 32),
  };
}

/**
 * What makes a transaction the same one again: `x:<source>:<external id>` when it has one, else
 * `h:<content hash>:<n>` where n counts identical rows in its file (the second of two identical
 * payments on one day is `:2`, so re-importing the file matches both and adds neither).
 */
export function dedupeKey(
  source: string,
  externalId: string | null,
  contentHash: string,
  occurrence: number,
) {
  return externalId !== null ? `x:${source}:${externalId}` : `h:${contentHash}:${occurrence}`;
}
