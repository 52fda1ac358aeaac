import { RunResultsQuerySchema } from '@billing/contracts';
import { ById, group, type Operation, PageOnlyQuerySchema } from '../operation';
import { type Schemas } from '../schemas';

/** `/v1/scheduler/runs`: run the schedule now, see past runs and what each did per template. */
export function schedulerOperations(s: Schemas): Operation[] {
  return group('Scheduler', 'tenant', [
    {
      method: 'post',
      path: '/v1/scheduler/runs',
      summary: 'Run the scheduler now for this tenant (today in its time zone unless as_of is given)',
      body: s.SchedulerRunCreate,
      optionalBody: true,
      status: 201,
      response: s.SchedulerRun,
    },
    {
      method: 'get',
      path: '/v1/scheduler/runs',
      summary: 'Past scheduler runs of this tenant',
      query: PageOnlyQuerySchema,
      status: 200,
      response: s.SchedulerRunPage,
    },
    {
      method: 'get',
      path: '/v1/scheduler/runs/{id}',
      summary: 'A run and its per-template results (results paged with limit and cursor)',
      params: ById('Scheduler run'),
      query: RunResultsQuerySchema,
      status: 200,
      response: s.SchedulerRunDetail,
      problems: [404],
    },
  ]);
}
