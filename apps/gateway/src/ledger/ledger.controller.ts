import { Controller, Get, Query } from '@nestjs/common';
import { JournalListQuerySchema, ReportQuerySchema, type TenantContext } from '@billing/contracts';
import { CurrentTenant } from '../http/gateway-request';
import { ZodPipe } from '../http/zod.pipe';
import { type JournalQuery, LedgerService, type ReportQuery } from './ledger.service';

const Report = new ZodPipe(ReportQuerySchema);

/** `/v1/journal-entries`: the double-entry journal; one line per route. */
@Controller('v1/journal-entries')
export class JournalEntriesController {
  constructor(private readonly ledger: LedgerService) {}

  @Get()
  list(@CurrentTenant() t: TenantContext, @Query(new ZodPipe(JournalListQuerySchema)) q: JournalQuery) {
    return this.ledger.journal(t, q);
  }
}

/** `/v1/reports`: trial balance and aging (as of `as_of` when given); one line per route. */
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('trial-balance')
  trialBalance(@CurrentTenant() t: TenantContext, @Query(Report) q: ReportQuery) {
    return this.ledger.trialBalance(t, q);
  }

  @Get('aging')
  aging(@CurrentTenant() t: TenantContext, @Query(Report) q: ReportQuery) {
    return this.ledger.aging(t, q);
  }
}
