import {
  CalendarDateSchema,
  DateSchema,
  IdSchema,
  ParkedListQuerySchema,
  SERVICES_WITH_CONSUMERS,
  type ServiceName,
} from '@billing/contracts';
import { z } from 'zod';

/** Gateway-only shapes of the operator clock and parked-message endpoints. */
export const ClockSetSchema = z.object({ today: CalendarDateSchema }).strict();
export type ClockSet = z.infer<typeof ClockSetSchema>;

export const ClockViewSchema = z.object({
  mode: z.enum(['system', 'manual']),
  /** The date set by an operator (CLOCK_MODE=manual), or null: then the system date applies. */
  manual_date: DateSchema.nullable(),
  /** Today in UTC as every app sees it now (tenants see their own zone's date unless manual). */
  today_utc: DateSchema,
});
export type ClockView = z.infer<typeof ClockViewSchema>;

export const ParkedServiceSchema = z.enum(SERVICES_WITH_CONSUMERS as [ServiceName, ...ServiceName[]], {
  error: `must be one of ${SERVICES_WITH_CONSUMERS.join(', ')}`,
});

/** `GET /v1/admin/parked`: the service plus the contract's own query. */
export const AdminParkedQuerySchema = ParkedListQuerySchema.extend({
  service: ParkedServiceSchema,
}).strict();
export type AdminParkedQuery = z.infer<typeof AdminParkedQuerySchema>;

export const ParkedReplayParamsSchema = z.object({ service: ParkedServiceSchema, id: IdSchema });
