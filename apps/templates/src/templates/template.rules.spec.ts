import type { TemplateCandidate } from './template.candidate';
import { type RuleContext, validateTemplate } from './template.rules';

const TODAY = '2026-01-15';
const CUSTOMER = '0190a1b2-0000-7000-8000-000000000001';
const VENDOR = '0190a1b2-0000-7000-8000-000000000002';

function invoice(overrides: Partial<TemplateCandidate> = {}): TemplateCandidate {
  return {
    type: 'invoice',
    customer_id: CUSTOMER,
    vendor_id: null,
    frequency: 'monthly',
    day_of_month: null,
    day_of_week: null,
    start_date: '2026-01-31',
    end_date: null,
    max_occurrences: null,
    days_until_due: 30,
    auto_send: false,
    currency: 'USD',
    total: '1500.00',
    line_items: null,
    description: 'Retainer',
    notes: null,
    ...overrides,
  };
}

function bill(overrides: Partial<TemplateCandidate> = {}): TemplateCandidate {
  return invoice({ type: 'bill', customer_id: null, vendor_id: VENDOR, ...overrides });
}

const line = (overrides: Partial<{ quantity: string; unit_price: string; tax_rate: string }> = {}) => ({
  description: 'Hours',
  quantity: '2',
  unit_price: '100.00',
  ...overrides,
});

function fields(c: TemplateCandidate, ctx: Partial<RuleContext> = {}): string[] {
  return validateTemplate(c, { today: TODAY, ...ctx }).map((e) => e.field);
}

describe('validateTemplate: valid templates', () => {
  it.each<[string, TemplateCandidate]>([
    ['an invoice with a total', invoice()],
    ['a bill with a total', bill()],
    ['an invoice with auto_send', invoice({ auto_send: true })],
    [
      'lines with and without tax',
      invoice({ total: null, line_items: [line(), line({ tax_rate: '8.25' })] }),
    ],
    [
      'a 100 % tax rate and a fractional quantity',
      invoice({ total: null, line_items: [line({ quantity: '0.5', tax_rate: '100' })] }),
    ],
    ['a start date of today', invoice({ start_date: TODAY })],
    ['an end date equal to the first occurrence', invoice({ end_date: '2026-01-31' })],
    ['day_of_month for quarterly', invoice({ frequency: 'quarterly', day_of_month: 31 })],
    ['day_of_month for annually', invoice({ frequency: 'annually', day_of_month: 29 })],
    ['day_of_week 0 for weekly', invoice({ frequency: 'weekly', day_of_week: 0 })],
    ['day_of_week 6 for biweekly', invoice({ frequency: 'biweekly', day_of_week: 6 })],
    ['daily with no targeting', invoice({ frequency: 'daily' })],
    ['days_until_due at both ends', invoice({ days_until_due: 0 })],
    ['days_until_due 365', invoice({ days_until_due: 365 })],
    ['max_occurrences 1', invoice({ max_occurrences: 1 })],
    ['every currency', invoice({ currency: 'GBP' })],
  ])('accepts %s', (_name, candidate) => {
    expect(validateTemplate(candidate, { today: TODAY })).toEqual([]);
  });
});

describe('validateTemplate: each rule on its field', () => {
  it.each<[string, TemplateCandidate, string[]]>([
    ['invoice without customer_id', invoice({ customer_id: null }), ['customer_id']],
    ['invoice with vendor_id', invoice({ vendor_id: VENDOR }), ['vendor_id']],
    ['bill without vendor_id', bill({ vendor_id: null }), ['vendor_id']],
    ['bill with customer_id', bill({ customer_id: CUSTOMER }), ['customer_id']],
    ['bill with auto_send', bill({ auto_send: true }), ['auto_send']],
    ['day_of_month on weekly', invoice({ frequency: 'weekly', day_of_month: 5 }), ['day_of_month']],
    ['day_of_month on daily', invoice({ frequency: 'daily', day_of_month: 5 }), ['day_of_month']],
    ['day_of_month 0', invoice({ day_of_month: 0 }), ['day_of_month']],
    ['day_of_month 32', invoice({ day_of_month: 32 }), ['day_of_month']],
    ['day_of_week on monthly', invoice({ day_of_week: 2 }), ['day_of_week']],
    ['day_of_week on daily', invoice({ frequency: 'daily', day_of_week: 2 }), ['day_of_week']],
    ['day_of_week 7', invoice({ frequency: 'weekly', day_of_week: 7 }), ['day_of_week']],
    ['day_of_week 1.5', invoice({ frequency: 'weekly', day_of_week: 1.5 }), ['day_of_week']],
    ['an unknown frequency', invoice({ frequency: 'hourly' as never }), ['frequency']],
    ['start_date 2026-02-30', invoice({ start_date: '2026-02-30' }), ['start_date']],
    ['start_date 2026-13-01', invoice({ start_date: '2026-13-01' }), ['start_date']],
    ['start_date yesterday', invoice({ start_date: '2026-01-14' }), ['start_date']],
    ['end_date 2026-04-31', invoice({ end_date: '2026-04-31' }), ['end_date']],
    ['end_date in the past', invoice({ start_date: TODAY, end_date: '2026-01-14' }), ['end_date']],
    [
      'end_date before start_date',
      invoice({ start_date: '2026-03-01', end_date: '2026-02-01' }),
      ['end_date'],
    ],
    [
      'no occurrence before end_date',
      invoice({ start_date: '2026-01-16', day_of_month: 10, end_date: '2026-02-05' }),
      ['end_date'],
    ],
    [
      'weekly end_date before the first weekday',
      invoice({ frequency: 'weekly', start_date: '2026-01-15', day_of_week: 0, end_date: '2026-01-18' }),
      ['end_date'],
    ],
    ['max_occurrences 0', invoice({ max_occurrences: 0 }), ['max_occurrences']],
    ['days_until_due -1', invoice({ days_until_due: -1 }), ['days_until_due']],
    ['days_until_due 366', invoice({ days_until_due: 366 }), ['days_until_due']],
    ['currency XYZ', invoice({ currency: 'XYZ' }), ['currency']],
    ['both total and line_items', invoice({ line_items: [line()] }), ['total', 'line_items']],
    ['neither total nor line_items', invoice({ total: null }), ['total', 'line_items']],
    ['total 0', invoice({ total: '0.00' }), ['total']],
    ['total negative', invoice({ total: '-5.00' }), ['total']],
    ['total not an amount', invoice({ total: '1.234' }), ['total']],
    ['no lines', invoice({ total: null, line_items: [] }), ['line_items']],
    [
      'a blank line description',
      invoice({ total: null, line_items: [{ ...line(), description: ' ' }] }),
      ['line_items[0].description'],
    ],
    [
      'quantity 0',
      invoice({ total: null, line_items: [line(), line({ quantity: '0' })] }),
      ['line_items[1].quantity'],
    ],
    [
      'quantity not a decimal',
      invoice({ total: null, line_items: [line({ quantity: 'two' })] }),
      ['line_items[0].quantity'],
    ],
    [
      'unit_price 0',
      invoice({ total: null, line_items: [line(), line(), line({ unit_price: '0' })] }),
      ['line_items[2].unit_price'],
    ],
    [
      'unit_price negative',
      invoice({ total: null, line_items: [line({ unit_price: '-1.00' })] }),
      ['line_items[0].unit_price'],
    ],
    [
      'tax_rate above 100',
      invoice({ total: null, line_items: [line({ tax_rate: '100.01' })] }),
      ['line_items[0].tax_rate'],
    ],
    [
      'lines adding up past the largest amount',
      invoice({ total: null, line_items: [line({ quantity: '999999999', unit_price: '9999999999.99' })] }),
      ['line_items'],
    ],
  ])('rejects %s', (_name, candidate, expected) => {
    expect(fields(candidate)).toEqual(expected);
  });

  it('reports every violation at once', () => {
    const candidate = invoice({
      customer_id: null,
      vendor_id: VENDOR,
      frequency: 'weekly',
      day_of_month: 3,
      start_date: '2026-02-30',
      end_date: '2025-12-31',
      max_occurrences: 0,
      days_until_due: 400,
      currency: 'JPY',
      total: '-1.00',
      line_items: [line({ quantity: '0', unit_price: '0.00', tax_rate: '101' })],
    });
    expect(fields(candidate).sort()).toEqual(
      [
        'customer_id',
        'vendor_id',
        'day_of_month',
        'start_date',
        'end_date',
        'max_occurrences',
        'days_until_due',
        'currency',
        'total',
        'line_items',
        'total',
        'line_items[0].quantity',
        'line_items[0].unit_price',
        'line_items[0].tax_rate',
      ].sort(),
    );
  });

  it('explains itself in the messages', () => {
    const errors = validateTemplate(invoice({ start_date: '2026-01-01', total: null }), { today: TODAY });
    expect(errors).toEqual([
      { field: 'start_date', message: 'must not be in the past (today is 2026-01-15)', code: 'in_the_past' },
      {
        field: 'total',
        message: 'give exactly one of total or line_items (neither is set)',
        code: 'exactly_one_of',
      },
      {
        field: 'line_items',
        message: 'give exactly one of total or line_items (neither is set)',
        code: 'exactly_one_of',
      },
    ]);
    expect(validateTemplate(bill({ auto_send: true }), { today: TODAY })).toEqual([
      {
        field: 'auto_send',
        message: 'is only for invoices: bills are never emailed',
        code: 'not_applicable',
      },
    ]);
    expect(
      validateTemplate(invoice({ start_date: '2026-01-16', day_of_month: 10, end_date: '2026-02-05' }), {
        today: TODAY,
      }),
    ).toEqual([
      {
        field: 'end_date',
        message: 'leaves no occurrence between start_date and end_date (the first would be 2026-02-10)',
        code: 'no_occurrence_left',
      },
    ]);
  });
});

describe('validateTemplate: the counterparty look-up', () => {
  it('reports an unknown customer or vendor on its field', () => {
    expect(validateTemplate(invoice(), { today: TODAY, counterpartyFound: false })).toEqual([
      { field: 'customer_id', message: 'does not match a customer of this tenant', code: 'not_found' },
    ]);
    expect(fields(bill(), { counterpartyFound: false })).toEqual(['vendor_id']);
    expect(fields(invoice(), { counterpartyFound: true })).toEqual([]);
  });

  it('does not report a missing id twice', () => {
    expect(fields(invoice({ customer_id: null }), { counterpartyFound: false })).toEqual(['customer_id']);
  });
});

describe('validateTemplate: updates of a running template', () => {
  const running = invoice({ start_date: '2025-10-31', end_date: '2026-12-31' });
  const progress = { nextIndex: 3, lastGeneratedDate: '2025-12-31', generatedCount: 3 };

  it('lets past start and end dates stand when they do not change', () => {
    expect(fields(running, { changed: new Set(['description']), progress })).toEqual([]);
    const ended = invoice({ start_date: '2025-10-31', end_date: '2026-01-10' });
    expect(
      fields(ended, { changed: new Set(['description']), progress: { ...progress, nextIndex: 2 } }),
    ).toEqual([]);
  });

  it('rejects a start or end date moved into the past', () => {
    expect(
      fields(invoice({ start_date: '2026-01-10' }), { changed: new Set(['start_date']), progress }),
    ).toEqual(['start_date']);
    expect(
      fields({ ...running, end_date: '2026-01-14' }, { changed: new Set(['end_date']), progress }),
    ).toEqual(['end_date']);
  });

  it('needs max_occurrences above what was already generated', () => {
    const candidate = { ...running, max_occurrences: 3 };
    expect(
      validateTemplate(candidate, { today: TODAY, changed: new Set(['max_occurrences']), progress }),
    ).toEqual([
      {
        field: 'max_occurrences',
        message: 'must be more than the 3 occurrences already generated',
        code: 'not_above_generated',
      },
    ]);
    expect(
      fields({ ...running, max_occurrences: 4 }, { changed: new Set(['max_occurrences']), progress }),
    ).toEqual([]);
  });

  it('needs an occurrence left before the end date after the change', () => {
    // Next is occurrence 3 = 2026-01-31; an end date of the 20th leaves nothing.
    const shortened = { ...running, end_date: '2026-01-20' };
    expect(validateTemplate(shortened, { today: TODAY, changed: new Set(['end_date']), progress })).toEqual([
      {
        field: 'end_date',
        message: 'leaves no occurrence to generate (the next would be 2026-01-31)',
        code: 'no_occurrence_left',
      },
    ]);
    // Re-anchored on the 16th, the next occurrence is 2026-01-16: within the end date.
    expect(
      fields(
        { ...shortened, day_of_month: 16 },
        { changed: new Set(['end_date', 'day_of_month']), progress },
      ),
    ).toEqual([]);
  });
});
