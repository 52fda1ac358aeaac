import { Injectable } from '@nestjs/common';
import { type Page, type ParkedMessage, ProblemTypes, parkedRpc } from '@billing/contracts';
import { ClockService, ProblemError, RpcClient } from '@billing/common';
import type { ClockSet, ClockView, AdminParkedQuery } from './admin.schemas';
import { ParkedServiceSchema } from './admin.schemas';

/** Operator actions: the shared manual clock and the parked messages of each consuming service. */
@Injectable()
export class AdminService {
  constructor(
    private readonly clock: ClockService,
    private readonly rpc: RpcClient,
  ) {}

  async clockView(): Promise<ClockView> {
    return {
      mode: this.clock.manual ? 'manual' : 'system',
      manual_date: this.clock.manual ? await this.clock.manualDate() : null,
      today_utc: await this.clock.today('UTC'),
    };
  }

  async setClock(input: ClockSet): Promise<ClockView> {
    this.requireManualClock();
    await this.clock.setManualDate(input.today);
    return this.clockView();
  }

  async clearClock(): Promise<ClockView> {
    this.requireManualClock();
    await this.clock.setManualDate(null);
    return this.clockView();
  }

  listParked(q: AdminParkedQuery): Promise<Page<ParkedMessage>> {
    const { service, ...query } = q;
    return this.rpc.call(parkedRpc(service).list, query, null);
  }

  replayParked(service: string, id: string) {
    const parsed = ParkedServiceSchema.safeParse(service);
    if (!parsed.success) throw ProblemError.notFound('Service', service);
    return this.rpc.call(parkedRpc(parsed.data).replay, { id }, null);
  }

  /** Without CLOCK_MODE=manual the settable clock does not exist. */
  private requireManualClock(): void {
    if (!this.clock.manual) {
      throw new ProblemError({
        type: ProblemTypes.notFound,
        title: 'Not found',
        status: 404,
        detail: 'The clock can only be set when the platform runs with CLOCK_MODE=manual.',
      });
    }
  }
}
