import type { OccurrenceDue } from '@billing/contracts';
import { documentFromOccurrence, occurrenceKeyOf } from './occurrence-document';

const TENANT = '0190a1b2-0000-7000-8000-00000000000a';
const CUSTOMER = '0190a1b2-0000-7000-8000-00000000000c';
const VENDOR = '0190a1b2-0000-7000-8000-00000000000d';

const due = (over: Partial<OccurrenceDue['document']> = {}, date = '2026-01-31'): OccurrenceDue => ({
  run_id: '0190a1b2-0000-7000-8000-0000000000aa',
  template_id: '0190a1b2-0000-7000-8000-0000000000bb',
  occurrence_date: date,
  occurrence_index: 3,
  document: {
    type: 'invoice',
    customer_id: CUSTOMER,
    vendor_id: null,
    currency: 'USD',
    days_until_due: 30,
    auto_send: true,
    description: 'Retainer',
    notes: null,
    lines: [
      { description: 'Retainer', quantity: '1', unit_price: '1500.00', tax_rate: '8.25' },
      { description: 'Hours', quantity: '2.5', unit_price: '0.15', tax_rate: '0' },
    ],
    ...over,
  },
});

describe('documentFromOccurrence', () => {
  it('prices each line half-up and dates the document from the occurrence', () => {
    const out = documentFromOccurrence(TENANT, due());
    if (!out.ok) throw new Error(out.reason);
    const d = out.document;
    expect(d).toMatchObject({
      tenantId: TENANT,
      type: 'invoice',
      customerId: CUSTOMER,
      vendorId: null,
      occurrenceDate: '2026-01-31',
      occurrenceIndex: 3,
      issueDate: '2026-01-31',
      dueDate: '2026-03-02',
      subtotalMinor: 150038n, // 1500.00 + 0.375 → 0.38
      taxMinor: 12375n,
      totalMinor: 162413n,
      autoSend: true,
    });
    expect(d.lines[1]).toEqual({
      description: 'Hours',
      quantity: '2.5',
      unitPriceMinor: 15n,
      taxRate: '0',
      amountMinor: 38n,
      taxMinor: 0n,
    });
  });

  it('makes bills to the vendor and never auto-sends them', () => {
    const out = documentFromOccurrence(
      TENANT,
      due({ type: 'bill', customer_id: null, vendor_id: VENDOR, days_until_due: 0 }),
    );
    expect(out.ok && out.document).toMatchObject({
      type: 'bill',
      vendorId: VENDOR,
      customerId: null,
      autoSend: false,
      dueDate: '2026-01-31',
    });
  });

  it.each([
    [due({ customer_id: null }), 'an invoice needs a customer_id'],
    [due({ type: 'bill', customer_id: null, vendor_id: null }), 'a bill needs a vendor_id'],
    [due({}, '2026-02-30'), 'occurrence_date 2026-02-30 is not a calendar date'],
    [
      due({ lines: [{ description: 'x', quantity: '0', unit_price: '10.00', tax_rate: '0' }] }),
      'the total must be positive',
    ],
    [
      due({ lines: [{ description: 'x', quantity: '1', unit_price: '-10.00', tax_rate: '0' }] }),
      'line 1 has a negative amount',
    ],
    [
      due({
        lines: [{ description: 'x', quantity: '999999999', unit_price: '9999999999999.99', tax_rate: '0' }],
      }),
      'the total exceeds 9999999999999.99, the largest amount billed',
    ],
  ])('refuses what retrying cannot fix (%#)', (input, reason) => {
    expect(documentFromOccurrence(TENANT, input)).toEqual({ ok: false, reason });
  });

  it('keys a document by tenant, template and occurrence date', () => {
    expect(occurrenceKeyOf({ tenantId: 't', templateId: 'x', occurrenceDate: '2026-01-31' })).toBe(
      't:x:2026-01-31',
    );
  });
});
