import { IdSchema } from '@billing/contracts';
import { z } from 'zod';
import { AdminParkedQuerySchema, ParkedServiceSchema } from '../../admin/admin.schemas';
import { group, type Operation } from '../operation';
import { type Schemas } from '../schemas';

/** The operator's clock and parked messages (the admin tenant routes are in `tenants.ts`). */
export function adminOperations(s: Schemas): Operation[] {
  return group('Admin', 'admin', [
    {
      method: 'get',
      path: '/v1/admin/clock',
      summary: 'The clock mode and the manual date, if set',
      status: 200,
      response: s.Clock,
    },
    {
      method: 'put',
      path: '/v1/admin/clock',
      summary: 'Set the date every app treats as today (CLOCK_MODE=manual only, else 404)',
      body: s.ClockSet,
      status: 200,
      response: s.Clock,
      problems: [404],
    },
    {
      method: 'delete',
      path: '/v1/admin/clock',
      summary: 'Clear the manual date: the system date applies again (CLOCK_MODE=manual only, else 404)',
      status: 200,
      response: s.Clock,
      problems: [404],
    },
    {
      method: 'get',
      path: '/v1/admin/parked',
      summary: 'Messages a consumer of a service gave up on',
      query: AdminParkedQuerySchema,
      status: 200,
      response: s.ParkedPage,
    },
    {
      method: 'post',
      path: '/v1/admin/parked/{service}/{id}/replay',
      summary: 'Replay a parked message through its consumer',
      params: z.object({ service: ParkedServiceSchema, id: IdSchema }),
      status: 200,
      response: s.ReplayResult,
      problems: [404],
    },
  ]);
}
