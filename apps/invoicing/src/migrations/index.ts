import { Parties1763700000100 } from './1763700000100-parties';
import { Invoices1763700000110 } from './1763700000110-invoices';
import { Ledger1763700000120 } from './1763700000120-ledger';

export const invoicingMigrations = [Parties1763700000100, Invoices1763700000110, Ledger1763700000120];
