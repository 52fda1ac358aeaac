import type { TenantContext, TenantView } from '@billing/contracts';

/**
 * Today's scheduled run of each tenant: its date is the tenant's today in its own time zone. Tenants
 * whose zone gave no date (an invalid zone) are left out.
 */
export function scheduledRunsFor(
  tenants: TenantView[],
  todayByZone: ReadonlyMap<string, string>,
): Array<{ tenant: TenantContext; runDate: string }> {
  return tenants.flatMap((t) => {
    const runDate = todayByZone.get(t.timezone);
    return runDate === undefined ? [] : [{ tenant: tenantContext(t), runDate }];
  });
}

/** What services are called with for a tenant. */
export function tenantContext(t: TenantView): TenantContext {
  return { id: t.id, name: t.name, base_currency: t.base_currency, timezone: t.timezone };
}

/** The distinct time zones of a page of tenants: "today" is asked once per zone. */
export function zonesOf(tenants: TenantView[]): string[] {
  return [...new Set(tenants.map((t) => t.timezone))];
}
