import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Transactional outbox, consumer inbox (processed event ids) and parked messages: every app has them. */
export class BusTables1763700000000 implements MigrationInterface {
  name = 'BusTables1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        subject text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    await q.query(`
      CREATE TABLE parked_messages (
        id uuid PRIMARY KEY,
        consumer text NOT NULL,
        subject text NOT NULL,
        event_id text,
        payload text NOT NULL,
        error text NOT NULL,
        deliveries integer NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz
      )`);
    await q.query(`CREATE INDEX parked_messages_open ON parked_messages (id) WHERE replayed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE parked_messages');
    await q.query('DROP TABLE inbox');
    await q.query('DROP TABLE outbox');
  }
}
