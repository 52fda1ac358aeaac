import { Injectable } from '@nestjs/common';
import type { JournalEntryView, Page, TenantContext } from '@billing/contracts';
import { ClockService } from '@billing/common';
import { type AgingReport, agingReport } from './aging';
import { mapJournalEntry } from './journal';
import { JournalRepository } from './journal.repository';
import { type TrialBalance, trialBalance } from './trial-balance';

/** The reports of SPEC section 4 and the journal behind them (read-only: postings come from invoices). */
@Injectable()
export class LedgerService {
  constructor(
    private readonly journal: JournalRepository,
    private readonly clock: ClockService,
  ) {}

  async entries(
    tenant: TenantContext,
    q: { limit: number; cursor?: string; invoice_id?: string },
  ): Promise<Page<JournalEntryView>> {
    const page = await this.journal.list(tenant.id, q.invoice_id, q.limit, q.cursor);
    return { data: page.data.map(mapJournalEntry), next_cursor: page.next_cursor };
  }

  async trialBalance(tenant: TenantContext, q: { as_of?: string }): Promise<TrialBalance> {
    const asOf = await this.asOf(tenant, q.as_of);
    return trialBalance(asOf, await this.journal.accountSums(tenant.id, asOf));
  }

  async aging(tenant: TenantContext, q: { as_of?: string }): Promise<AgingReport> {
    const asOf = await this.asOf(tenant, q.as_of);
    return agingReport(asOf, await this.journal.receivables(tenant.id, asOf));
  }

  /** The report date: as given (a calendar date, the contract says), or today in the tenant's time zone. */
  private async asOf(tenant: TenantContext, given: string | undefined): Promise<string> {
    return given ?? this.clock.today(tenant.timezone);
  }
}
