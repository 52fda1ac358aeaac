import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What invoice PDFs print about the tenant: its postal address and the paper size. */
export class TenantProfile1763700000320 implements MigrationInterface {
  name = 'TenantProfile1763700000320';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenants
        ADD COLUMN address jsonb,
        ADD COLUMN paper_size text NOT NULL DEFAULT 'A4' CHECK (paper_size IN ('A4', 'Letter')),
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE tenants DROP COLUMN updated_at, DROP COLUMN paper_size, DROP COLUMN address');
  }
}
