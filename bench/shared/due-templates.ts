/**
 * Due templates written straight into the templates schema: creating 100,000 through the API would take
 * longer than the run they are meant to measure. Shared by the benchmarks that run the scheduler
 * (bench/daily-run, bench/api-load) and the end-to-end tests that need a large run (test/db-faults).
 */
import type { ClientBase } from 'pg';
import { compileSchedule, occurrenceDate, weekday, parseDate } from '@billing/recurrence';
import { uuidv7 } from '@billing/common';

export const FREQUENCIES = ['daily', 'weekly', 'biweekly', 'monthly', 'quarterly', 'annually'] as const;

export interface SeedOptions {
  tenantId: string;
  /** Occurrence 0 of every template falls on this date. */
  runDate: string;
  customers: string[];
  vendors: string[];
  count: number;
}

const isBill = (i: number) => i % 10 === 9;
const isAutoSend = (i: number) => !isBill(i) && i % 2 === 0;

/**
 * Templates whose occurrence 0 falls on the run date, for every frequency, so each is due exactly once:
 * 90 % invoices, 10 % bills; every even-numbered template is an auto-send invoice (half of them all, so
 * five in nine invoices); one to three taxed lines. Returns how many of each frequency, of bills and of
 * auto-send invoices were written: what the run must produce.
 */
export async function seedDueTemplates(
  pg: Pick<ClientBase, 'query'>,
  { tenantId, runDate, customers, vendors, count }: SeedOptions,
): Promise<Record<string, number>> {
  const mix: Record<string, number> = {};
  let bills = 0;
  let autoSend = 0;
  const day = parseDate(runDate);
  const dom = Number(runDate.slice(8, 10));
  const batch = 5000;
  for (let from = 0; from < count; from += batch) {
    const rows: unknown[][] = [];
    for (let i = from; i < Math.min(count, from + batch); i++) {
      const frequency = FREQUENCIES[i % FREQUENCIES.length];
      const bill = isBill(i);
      const weekly = frequency === 'weekly' || frequency === 'biweekly';
      const dayOfWeek = weekly ? weekday(day) : null;
      const dayOfMonth =
        frequency === 'monthly' || frequency === 'quarterly' || frequency === 'annually' ? dom : null;
      const schedule = compileSchedule({ frequency, startDate: runDate, dayOfMonth, dayOfWeek });
      if (occurrenceDate(schedule, 0) !== runDate)
        throw new Error(`seed: ${frequency} does not start on the run date`);
      const lines = Array.from({ length: 1 + (i % 3) }, (_, n) => ({
        description: `Service ${n + 1}`,
        quantity: n === 0 ? '1' : '2.5',
        unit_price: n === 0 ? '1500.00' : '120.00',
        tax_rate: n === 2 ? '0' : '8.25',
      }));
      mix[frequency] = (mix[frequency] ?? 0) + 1;
      if (bill) bills++;
      if (isAutoSend(i)) autoSend++;
      rows.push([
        uuidv7(),
        bill ? 'bill' : 'invoice',
        bill ? null : customers[i % customers.length],
        bill ? vendors[i % vendors.length] : null,
        frequency,
        dayOfMonth,
        dayOfWeek,
        isAutoSend(i),
        JSON.stringify(lines),
      ]);
    }
    const col = (k: number) => rows.map((r) => r[k]);
    await pg.query(
      `INSERT INTO templates.templates (id, tenant_id, type, customer_id, vendor_id, frequency, day_of_month, day_of_week,
         start_date, days_until_due, auto_send, currency, line_items, status, next_index, next_occurrence_date)
       SELECT u.id, $1, u.type::templates.template_type, u.customer_id, u.vendor_id, u.frequency::templates.template_frequency,
              u.dom, u.dow, $2::date, 30, u.auto_send, 'USD', u.lines, 'active', 0, $2::date
         FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::smallint[], $9::smallint[],
                     $10::boolean[], $11::jsonb[])
           AS u(id, type, customer_id, vendor_id, frequency, dom, dow, auto_send, lines)`,
      [tenantId, runDate, col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7), col(8)],
    );
  }
  return { ...mix, bills, 'auto-send': autoSend };
}
