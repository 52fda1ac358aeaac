import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox rows are deleted by their sequence number (the primary key); the unique index on the event id
 * cost one more index write per event for nothing — JetStream deduplicates by `Nats-Msg-Id` and
 * consumers by event id.
 */
export class OutboxBySeq1763700000003 implements MigrationInterface {
  name = 'OutboxBySeq1763700000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_id_key`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_id_key UNIQUE (id)`);
  }
}
