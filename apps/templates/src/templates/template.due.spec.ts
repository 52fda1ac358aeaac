import type { Template } from './template.model';
import { DEFAULT_LINE_DESCRIPTION, dueOccurrences, duePage, occurrenceDocument } from './template.due';

const base: Template = {
  id: '0190a1b2-0000-7000-8000-000000000001',
  tenantId: '0190a1b2-0000-7000-8000-0000000000aa',
  type: 'invoice',
  customerId: '0190a1b2-0000-7000-8000-0000000000cc',
  vendorId: null,
  frequency: 'monthly',
  dayOfMonth: null,
  dayOfWeek: null,
  startDate: '2026-01-31',
  endDate: null,
  maxOccurrences: null,
  daysUntilDue: 14,
  autoSend: true,
  currency: 'USD',
  totalMinor: 150000n,
  lineItems: null,
  description: null,
  notes: 'Thank you',
  status: 'active',
  nextIndex: 0,
  nextOccurrenceDate: '2026-01-31',
  generatedCount: 0,
  skippedCount: 0,
  lastGeneratedDate: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const daily = (overrides: Partial<Template> = {}): Template => ({
  ...base,
  frequency: 'daily',
  startDate: '2026-03-01',
  nextOccurrenceDate: '2026-03-01',
  ...overrides,
});
const dates = (t: Template, asOf: string) => dueOccurrences(t, asOf).map((o) => o.occurrence_date);

describe('dueOccurrences', () => {
  it('gives the next occurrence on its own date, monthly on the 31st month by month', () => {
    expect(dueOccurrences(base, '2026-01-31')).toEqual([
      { occurrence_index: 0, occurrence_date: '2026-01-31', next_occurrence_date: '2026-02-28' },
    ]);
    expect(dueOccurrences({ ...base, nextIndex: 1 }, '2026-02-28')).toEqual([
      { occurrence_index: 1, occurrence_date: '2026-02-28', next_occurrence_date: '2026-03-31' },
    ]);
    expect(dates({ ...base, nextIndex: 3 }, '2026-04-30')).toEqual(['2026-04-30']);
  });

  it('has nothing before the next occurrence', () => {
    expect(dueOccurrences(base, '2026-01-30')).toEqual([]);
  });

  it('catches up every missed occurrence, each with its own date', () => {
    expect(dueOccurrences(daily(), '2026-03-03')).toEqual([
      { occurrence_index: 0, occurrence_date: '2026-03-01', next_occurrence_date: '2026-03-02' },
      { occurrence_index: 1, occurrence_date: '2026-03-02', next_occurrence_date: '2026-03-03' },
      { occurrence_index: 2, occurrence_date: '2026-03-03', next_occurrence_date: '2026-03-04' },
    ]);
    expect(dates({ ...base, nextIndex: 1 }, '2026-05-01')).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
    ]);
  });

  it('says where the schedule stands after each occurrence: null for the one that completes it', () => {
    const next = (t: Template, asOf: string) => dueOccurrences(t, asOf).map((o) => o.next_occurrence_date);
    expect(next(daily({ endDate: '2026-03-02' }), '2026-03-10')).toEqual(['2026-03-02', null]);
    expect(next(daily({ maxOccurrences: 3, generatedCount: 1, nextIndex: 1 }), '2026-03-10')).toEqual([
      '2026-03-03',
      null,
    ]);
    expect(next(daily({ endDate: '2026-03-05' }), '2026-03-02')).toEqual(['2026-03-02', '2026-03-03']);
  });

  it('stops at the end date, inclusive', () => {
    expect(dates(daily({ endDate: '2026-03-02' }), '2026-03-10')).toEqual(['2026-03-01', '2026-03-02']);
  });

  it('stops when the count would pass max_occurrences', () => {
    expect(dates(daily({ maxOccurrences: 5, generatedCount: 3, nextIndex: 3 }), '2026-03-31')).toEqual([
      '2026-03-04',
      '2026-03-05',
    ]);
    expect(dates(daily({ maxOccurrences: 3, generatedCount: 3, nextIndex: 3 }), '2026-03-31')).toEqual([]);
  });

  it('starts after skipped occurrences (next_index counts them)', () => {
    expect(dates(daily({ nextIndex: 2, skippedCount: 2 }), '2026-03-04')).toEqual([
      '2026-03-03',
      '2026-03-04',
    ]);
  });

  it('gives nothing for a template that is not active', () => {
    for (const status of ['paused', 'completed', 'cancelled'] as const) {
      expect(dueOccurrences(daily({ status, nextOccurrenceDate: null }), '2026-03-31')).toEqual([]);
    }
  });

  it('stops at the last representable date', () => {
    const t = daily({ startDate: '9999-12-30', nextOccurrenceDate: '9999-12-30' });
    expect(dates(t, '9999-12-31')).toEqual(['9999-12-30', '9999-12-31']);
  });
});

describe('occurrenceDocument', () => {
  it('gives a bare total as one untaxed line named after the template', () => {
    expect(occurrenceDocument({ ...base, description: 'Retainer' })).toEqual({
      type: 'invoice',
      customer_id: base.customerId,
      vendor_id: null,
      currency: 'USD',
      days_until_due: 14,
      auto_send: true,
      description: 'Retainer',
      notes: 'Thank you',
      lines: [{ description: 'Retainer', quantity: '1', unit_price: '1500.00', tax_rate: '0' }],
    });
  });

  it('names the line "Recurring charge" when the template has no description', () => {
    expect(occurrenceDocument(base).lines).toEqual([
      { description: DEFAULT_LINE_DESCRIPTION, quantity: '1', unit_price: '1500.00', tax_rate: '0' },
    ]);
    expect(DEFAULT_LINE_DESCRIPTION).toBe('Recurring charge');
  });

  it('copies line items as stored, and a bill to its vendor', () => {
    const lines = [
      { description: 'Consulting', quantity: '2', unit_price: '100.00', tax_rate: '8.25' },
      { description: 'Support', quantity: '1.5', unit_price: '33.33', tax_rate: '0' },
    ];
    const doc = occurrenceDocument({
      ...base,
      type: 'bill',
      customerId: null,
      vendorId: '0190a1b2-0000-7000-8000-0000000000dd',
      autoSend: false,
      currency: 'EUR',
      totalMinor: null,
      lineItems: lines,
    });
    expect(doc).toMatchObject({
      type: 'bill',
      customer_id: null,
      vendor_id: '0190a1b2-0000-7000-8000-0000000000dd',
      auto_send: false,
      currency: 'EUR',
      lines,
    });
  });
});

describe('duePage', () => {
  const id = (n: number) => `0190a1b2-0000-7000-8000-${String(n).padStart(12, '0')}`;
  const rows = (count: number) => Array.from({ length: count }, (_, i) => daily({ id: id(i + 1) }));

  it('shows `limit` templates and the cursor of the last when the query found one more', () => {
    const page = duePage(rows(3), '2026-03-02', 2);
    expect(page.items.map((i) => i.template_id)).toEqual([id(1), id(2)]);
    expect(page.items[0].occurrences).toHaveLength(2);
    expect(page.next_after).toBe(id(2));
  });

  it('has no cursor on the last page', () => {
    expect(duePage(rows(2), '2026-03-02', 2).next_after).toBeNull();
    expect(duePage([], '2026-03-02', 2)).toEqual({ items: [], next_after: null });
  });

  it('passes over a template with nothing due', () => {
    const page = duePage([daily({ id: id(1), status: 'paused' }), daily({ id: id(2) })], '2026-03-01', 5);
    expect(page.items.map((i) => i.template_id)).toEqual([id(2)]);
  });

  it('ends early at the byte budget, always with one item, and goes on after the last shown', () => {
    const one = Buffer.byteLength(JSON.stringify(duePage(rows(1), '2026-03-01', 1).items[0]));
    const page = duePage(rows(5), '2026-03-01', 5, one * 2 + 1);
    expect(page.items.map((i) => i.template_id)).toEqual([id(1), id(2)]);
    expect(page.next_after).toBe(id(2));
    const tiny = duePage(rows(5), '2026-03-01', 5, 1);
    expect(tiny.items).toHaveLength(1);
    expect(tiny.next_after).toBe(id(1));
  });
});
