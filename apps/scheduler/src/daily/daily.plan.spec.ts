import type { TenantView } from '@billing/contracts';
import { scheduledRunsFor, tenantContext, zonesOf } from './daily.plan';

const tenant = (n: number, timezone: string): TenantView => ({
  id: `0190a1b2-0000-7000-8000-00000000000${n}`,
  name: `Tenant ${n}`,
  base_currency: 'USD',
  timezone,
  address: null,
  paper_size: 'A4',
  created_at: '2026-01-01T00:00:00.000Z',
});

describe('daily runs', () => {
  const tenants = [
    tenant(1, 'UTC'),
    tenant(2, 'Pacific/Auckland'),
    tenant(3, 'UTC'),
    tenant(4, 'Mars/Olympus'),
  ];

  it('asks for today once per time zone', () => {
    expect(zonesOf(tenants)).toEqual(['UTC', 'Pacific/Auckland', 'Mars/Olympus']);
  });

  it('gives each tenant a run dated its own today, and none when its zone has no date', () => {
    const today = new Map([
      ['UTC', '2026-03-01'],
      ['Pacific/Auckland', '2026-03-02'],
    ]);
    expect(scheduledRunsFor(tenants, today).map((r) => [r.tenant.id, r.runDate])).toEqual([
      [tenants[0].id, '2026-03-01'],
      [tenants[1].id, '2026-03-02'],
      [tenants[2].id, '2026-03-01'],
    ]);
  });

  it('calls services with the tenant context, not the whole view', () => {
    expect(tenantContext(tenants[1])).toEqual({
      id: tenants[1].id,
      name: 'Tenant 2',
      base_currency: 'USD',
      timezone: 'Pacific/Auckland',
    });
  });
});
