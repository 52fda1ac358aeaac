import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The delivery state the notifier reports back: `sent_at` (already there) on `invoice.sent`, and the
 * failure on `delivery.failed` — kept until a later send succeeds.
 */
export class Delivery1763700000130 implements MigrationInterface {
  name = 'Delivery1763700000130';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE invoices ADD COLUMN delivery_failed_at timestamptz, ADD COLUMN delivery_error text`,
    );
    await q.query(
      `ALTER TABLE invoices ADD CONSTRAINT invoices_delivery_failure CHECK (
         (delivery_failed_at IS NULL) = (delivery_error IS NULL)
         AND (delivery_failed_at IS NULL OR (type = 'invoice' AND sent_at IS NULL)))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invoices DROP CONSTRAINT invoices_delivery_failure');
    await q.query('ALTER TABLE invoices DROP COLUMN delivery_error, DROP COLUMN delivery_failed_at');
  }
}
