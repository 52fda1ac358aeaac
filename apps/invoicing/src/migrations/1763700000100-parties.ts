import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Parties1763700000100 implements MigrationInterface {
  name = 'Parties1763700000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE party_kind AS ENUM ('customer', 'vendor')`);
    await q.query(`
      CREATE TABLE parties (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kind party_kind NOT NULL,
        name text NOT NULL,
        email text,
        address jsonb,
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX parties_tenant_kind ON parties (tenant_id, kind, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE parties');
    await q.query('DROP TYPE party_kind');
  }
}
