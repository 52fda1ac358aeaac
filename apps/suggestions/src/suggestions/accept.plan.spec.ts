import { checkTemplate, firstDateFrom, templateFor } from './accept.plan';
import type { SuggestionRow } from './suggestion.model';

const row = (over: Partial<SuggestionRow> = {}): SuggestionRow => ({
  id: '01900000-0000-7000-8000-000000000001',
  tenant_id: '01900000-0000-7000-8000-000000000002',
  counterparty_key: 'acmecloud',
  direction: 'outgoing',
  currency: 'USD',
  status: 'open',
  counterparty: 'Acme Cloud LLC',
  description: 'Acme Cloud LLC (quarterly)',
  frequency: 'quarterly',
  day_of_month: 20,
  day_of_week: null,
  average_minor: '120000',
  last_minor: '120000',
  first_date: '2025-01-20',
  last_date: '2026-04-20',
  next_date: '2026-07-20',
  occurrences: 6,
  confidence: '0.900',
  template_id: null,
  counterparty_id: null,
  created_at: new Date(),
  updated_at: new Date(),
  accepted_at: null,
  dismissed_at: null,
  ...over,
});

describe('templateFor', () => {
  it('proposes a bill to the vendor with the mined schedule and the average amount', () => {
    expect(templateFor(row(), {}, 'v1', '2026-07-10')).toEqual({
      type: 'bill',
      vendor_id: 'v1',
      frequency: 'quarterly',
      day_of_month: 20,
      start_date: '2026-07-20',
      currency: 'USD',
      total: '1200.00',
      description: 'Acme Cloud LLC (quarterly)',
    });
  });

  it('an invoice for incoming money; overrides win', () => {
    const t = templateFor(
      row({
        direction: 'incoming',
        frequency: 'weekly',
        day_of_month: null,
        day_of_week: 2,
        next_date: '2026-07-15',
      }),
      { total: '99.00', auto_send: true, days_until_due: 7, description: 'Retainer' },
      'c1',
      '2026-07-10',
    );
    expect(t).toMatchObject({
      type: 'invoice',
      customer_id: 'c1',
      frequency: 'weekly',
      day_of_week: 2,
      total: '99.00',
      auto_send: true,
      days_until_due: 7,
      description: 'Retainer',
    });
    expect(t).not.toHaveProperty('day_of_month');
  });
});

describe('firstDateFrom', () => {
  it('keeps a future predicted date; moves a past one to the same schedule on or after today', () => {
    expect(firstDateFrom(row(), '2026-07-10')).toBe('2026-07-20');
    expect(firstDateFrom(row(), '2026-08-01')).toBe('2026-10-20');
    expect(
      firstDateFrom(row({ frequency: 'monthly', day_of_month: 31, next_date: '2026-01-31' }), '2026-02-10'),
    ).toBe('2026-02-28');
    expect(
      firstDateFrom(
        row({ frequency: 'biweekly', day_of_month: null, day_of_week: 4, next_date: '2026-07-03' }),
        '2026-07-10',
      ),
    ).toBe('2026-07-17');
  });
});

describe('checkTemplate', () => {
  it('reports what the overrides break before anything is created', () => {
    const t = templateFor(
      row(),
      { start_date: '2026-01-01', auto_send: true, day_of_week: 2, end_date: '2025-12-31' },
      'v1',
      '2026-07-10',
    );
    expect(
      checkTemplate(t, '2026-07-10')
        .map((e) => e.field)
        .sort(),
    ).toEqual(['auto_send', 'day_of_week', 'end_date', 'start_date']);
    expect(checkTemplate(templateFor(row(), {}, 'v1', '2026-07-10'), '2026-07-10')).toEqual([]);
    expect(
      checkTemplate(templateFor(row(), { total: '0.00' }, 'v1', '2026-07-10'), '2026-07-10')[0].field,
    ).toBe('total');
  });
});
