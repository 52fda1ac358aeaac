import type { DocumentType } from './invoice.model';

const PREFIX: Record<DocumentType, string> = { invoice: 'INV', bill: 'BILL' };

/** `INV-000042` / `BILL-000042`: six digits at least, more once a tenant passes 999 999. */
export function formatDocumentNumber(type: DocumentType, n: number | bigint): string {
  const value = BigInt(n);
  if (value < 1n) throw new RangeError(`document numbers start at 1, got ${value}`);
  return `${PREFIX[type]}-${value.toString().padStart(6, '0')}`;
}

/**
 * The numbers of a block of `count` documents allocated at once, given the counter after the
 * allocation (what `UPDATE … SET last_number = last_number + count RETURNING last_number` answers).
 */
export function allocatedNumbers(type: DocumentType, lastNumber: bigint, count: number): string[] {
  const first = lastNumber - BigInt(count) + 1n;
  return Array.from({ length: count }, (_, i) => formatDocumentNumber(type, first + BigInt(i)));
}
