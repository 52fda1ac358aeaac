import {
  applyPatch,
  candidateFromClone,
  candidateFromCreate,
  candidateOf,
  changedFields,
  definitionOf,
} from './template.candidate';

const CUSTOMER = '0190a1b2-0000-7000-8000-000000000001';
const OTHER = '0190a1b2-0000-7000-8000-000000000003';

const created = candidateFromCreate(
  { type: 'invoice', customer_id: CUSTOMER, frequency: 'monthly', total: '1500.00' },
  { today: '2026-01-15', currency: 'CAD' },
);

describe('candidateFromCreate', () => {
  it('fills the defaults: today, 30 days, no auto-send, the counterparty currency', () => {
    expect(created).toEqual({
      type: 'invoice',
      customer_id: CUSTOMER,
      vendor_id: null,
      frequency: 'monthly',
      day_of_month: null,
      day_of_week: null,
      start_date: '2026-01-15',
      end_date: null,
      max_occurrences: null,
      days_until_due: 30,
      auto_send: false,
      currency: 'CAD',
      total: '1500.00',
      line_items: null,
      description: null,
      notes: null,
    });
  });
});

describe('applyPatch', () => {
  it('overrides only the given fields; null clears', () => {
    const next = applyPatch(
      { ...created, description: 'Old', notes: 'n' },
      { description: 'New', notes: null },
    );
    expect(next).toMatchObject({ description: 'New', notes: null, total: '1500.00', currency: 'CAD' });
  });

  it('replaces line items by a total and a total by line items', () => {
    const lines = [{ description: 'Hours', quantity: '2', unit_price: '50.00' }];
    const withLines = applyPatch(created, { line_items: lines });
    expect(withLines).toMatchObject({ total: null, line_items: lines });
    expect(applyPatch(withLines, { total: '10.00' })).toMatchObject({ total: '10.00', line_items: null });
  });

  it('keeps both when both are given, so the rules can reject it', () => {
    const lines = [{ description: 'Hours', quantity: '2', unit_price: '50.00' }];
    expect(applyPatch(created, { total: '10.00', line_items: lines })).toMatchObject({
      total: '10.00',
      line_items: lines,
    });
  });
});

describe('candidateFromClone', () => {
  const source = { ...created, start_date: '2025-06-01', end_date: '2025-12-31' };

  it('starts today and keeps the rest', () => {
    expect(candidateFromClone(source, {}, '2026-01-15')).toEqual({ ...source, start_date: '2026-01-15' });
  });

  it('takes the overrides', () => {
    expect(
      candidateFromClone(
        source,
        { start_date: '2026-02-01', end_date: null, customer_id: OTHER },
        '2026-01-15',
      ),
    ).toEqual({ ...source, start_date: '2026-02-01', end_date: null, customer_id: OTHER });
  });
});

describe('changedFields', () => {
  it('names the fields whose value differs', () => {
    const next = applyPatch(created, { day_of_month: 5, currency: 'CAD', description: 'x' });
    expect([...changedFields(created, next)].sort()).toEqual(['day_of_month', 'description']);
  });
});

describe('definitionOf and candidateOf', () => {
  it('round-trip, storing money in minor units and defaulting the tax rate', () => {
    const definition = definitionOf({
      ...created,
      total: null,
      line_items: [{ description: 'Hours', quantity: '1.5', unit_price: '80.00' }],
    });
    expect(definition.lineItems).toEqual([
      { description: 'Hours', quantity: '1.5', unit_price: '80.00', tax_rate: '0' },
    ]);
    expect(definitionOf(created).totalMinor).toBe(150000n);
    expect(candidateOf(definitionOf(created))).toEqual(created);
  });
});
