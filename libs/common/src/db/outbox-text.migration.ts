import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox keeps each event as the exact JSON text that goes on the bus: written once by the app,
 * published as is, never parsed by PostgreSQL (jsonb built a binary document per event only for it to be
 * printed back). `created_at` orders the relay's look for leftovers.
 */
export class OutboxText1763700000002 implements MigrationInterface {
  name = 'OutboxText1763700000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ALTER COLUMN payload TYPE text USING payload::text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ALTER COLUMN payload TYPE jsonb USING payload::jsonb`);
  }
}
