import type { EventEnvelope } from '@billing/contracts';
import { type InvoiceGenerated, documentsByTemplate } from './generation.service';

const TENANT = '0190a1b2-0000-7000-8000-0000000000aa';
const OTHER = '0190a1b2-0000-7000-8000-0000000000bb';
const T1 = '0190a1b2-0000-7000-8000-000000000001';

function event(
  invoiceId: string,
  templateId: string | null,
  occurrenceDate: string | null,
  index: number | null,
  tenantId = TENANT,
): EventEnvelope<InvoiceGenerated> {
  return {
    event_id: invoiceId,
    event_type: 'invoice.generated.v1',
    schema_version: 1,
    tenant_id: tenantId,
    occurred_at: '2026-03-01T00:00:00.000Z',
    data: {
      invoice: {
        id: invoiceId,
        template_id: templateId,
        occurrence_date: occurrenceDate,
        issue_date: occurrenceDate ?? '2026-03-09',
      },
      run_id: null,
      occurrence_index: index,
    } as unknown as InvoiceGenerated,
  };
}

describe('documentsByTemplate', () => {
  it('groups the documents of a batch per tenant and template, each invoice once', () => {
    const groups = documentsByTemplate([
      event('0190a1b2-0000-7000-8000-00000000f001', T1, '2026-03-01', 0),
      event('0190a1b2-0000-7000-8000-00000000f002', T1, '2026-03-02', 1),
      event('0190a1b2-0000-7000-8000-00000000f001', T1, '2026-03-01', 0),
      event('0190a1b2-0000-7000-8000-00000000f003', T1, '2026-03-03', 2, OTHER),
      event('0190a1b2-0000-7000-8000-00000000f004', null, null, null),
    ]);
    expect([...groups.keys()]).toEqual([`${TENANT}:${T1}`, `${OTHER}:${T1}`]);
    expect(groups.get(`${TENANT}:${T1}`)).toEqual({
      templateId: T1,
      occurrences: [
        {
          invoiceId: '0190a1b2-0000-7000-8000-00000000f001',
          occurrenceDate: '2026-03-01',
          occurrenceIndex: 0,
        },
        {
          invoiceId: '0190a1b2-0000-7000-8000-00000000f002',
          occurrenceDate: '2026-03-02',
          occurrenceIndex: 1,
        },
      ],
    });
  });

  it('takes the issue date for a document of a template without an occurrence date', () => {
    const groups = documentsByTemplate([event('0190a1b2-0000-7000-8000-00000000f009', T1, null, null)]);
    expect(groups.get(`${TENANT}:${T1}`)?.occurrences).toEqual([
      {
        invoiceId: '0190a1b2-0000-7000-8000-00000000f009',
        occurrenceDate: '2026-03-09',
        occurrenceIndex: null,
      },
    ]);
  });
});
