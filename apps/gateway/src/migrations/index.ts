import { Tenants1763700000300 } from './1763700000300-tenants';
import { Idempotency1763700000310 } from './1763700000310-idempotency';
import { TenantProfile1763700000320 } from './1763700000320-tenant-profile';
import { RateLimits1765100000330 } from './1765100000330-rate-limits';

export const gatewayMigrations = [
  Tenants1763700000300,
  Idempotency1763700000310,
  TenantProfile1763700000320,
  RateLimits1765100000330,
];
