import { Parties1763700000100 } from './1763700000100-parties';
import { Invoices1763700000110 } from './1763700000110-invoices';
import { Ledger1763700000120 } from './1763700000120-ledger';
import { InvoicesByRun1763700000125 } from './1763700000125-invoices-by-run';
import { JournalInvoiceDeferrable1763700000126 } from './1763700000126-journal-invoice-deferrable';
import { JournalBalanceCheckNewLines1763700000127 } from './1763700000127-journal-balance-check-new-lines';
import { Delivery1763700000130 } from './1763700000130-delivery';

export const invoicingMigrations = [
  Parties1763700000100,
  Invoices1763700000110,
  Ledger1763700000120,
  InvoicesByRun1763700000125,
  JournalInvoiceDeferrable1763700000126,
  JournalBalanceCheckNewLines1763700000127,
  Delivery1763700000130,
];
