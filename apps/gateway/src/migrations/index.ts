import { Tenants1763700000300 } from './1763700000300-tenants';
import { Idempotency1763700000310 } from './1763700000310-idempotency';

export const gatewayMigrations = [Tenants1763700000300, Idempotency1763700000310];
