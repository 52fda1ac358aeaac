import { z } from 'zod';
import { group, type Operation } from '../operation';

/** Unauthenticated routes for orchestrators and monitoring. */
export function platformOperations(): Operation[] {
  return group('Platform', 'public', [
    {
      method: 'get',
      path: '/health',
      summary: 'Database and NATS health',
      status: 200,
      response: z.object({ status: z.string() }).passthrough(),
      problems: [503],
    },
    { method: 'get', path: '/metrics', summary: 'Prometheus metrics (text exposition format)', status: 200 },
  ]);
}
