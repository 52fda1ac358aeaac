import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import {
  type PageQuery,
  type RunResultsQuery,
  RunResultsQuerySchema,
  SchedulerRpc,
  type TenantContext,
} from '@billing/contracts';
import { CurrentTenant } from '../http/gateway-request';
import { IdPipe, ZodPipe } from '../http/zod.pipe';
import { type RunCreate, SchedulerService } from './scheduler.service';

/** `limit`/`cursor` of the list (the contract's strict page query). */
const Page = new ZodPipe(SchedulerRpc.list.request);
/** `limit`/`cursor` of a run's results (their cursor is a template and a date). */
const ResultsPage = new ZodPipe(RunResultsQuerySchema);

/** `/v1/scheduler/runs`: run the scheduler now for the caller's tenant, see past runs; one line per route. */
@Controller('v1/scheduler/runs')
export class SchedulerRunsController {
  constructor(private readonly scheduler: SchedulerService) {}

  @Post()
  run(@CurrentTenant() t: TenantContext, @Body(new ZodPipe(SchedulerRpc.run.request)) body: RunCreate) {
    return this.scheduler.run(t, body);
  }

  @Get()
  list(@CurrentTenant() t: TenantContext, @Query(Page) q: PageQuery) {
    return this.scheduler.list(t, q);
  }

  @Get(':id')
  get(
    @Param('id', new IdPipe('Scheduler run')) id: string,
    @CurrentTenant() t: TenantContext,
    @Query(ResultsPage) q: RunResultsQuery,
  ) {
    return this.scheduler.get(t, id, q);
  }
}
