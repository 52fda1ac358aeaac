import { Body, Controller, Get, HttpCode, Param, Post, Put, Delete, Query } from '@nestjs/common';
import { AdminOnly } from '../http/gateway-request';
import { EmptyBodySchema, IdPipe, ZodPipe } from '../http/zod.pipe';
import {
  type ClockSet,
  ClockSetSchema,
  type AdminParkedQuery,
  AdminParkedQuerySchema,
} from './admin.schemas';
import { AdminService } from './admin.service';

/** `/v1/admin/clock`: the date every app treats as today when CLOCK_MODE=manual. */
@AdminOnly()
@Controller('v1/admin/clock')
export class AdminClockController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  get() {
    return this.admin.clockView();
  }

  @Put()
  set(@Body(new ZodPipe(ClockSetSchema)) body: ClockSet) {
    return this.admin.setClock(body);
  }

  @Delete()
  clear() {
    return this.admin.clearClock();
  }
}

/** `/v1/admin/parked`: messages a consumer gave up on, per service; replay one. */
@AdminOnly()
@Controller('v1/admin/parked')
export class AdminParkedController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  list(@Query(new ZodPipe(AdminParkedQuerySchema)) q: AdminParkedQuery) {
    return this.admin.listParked(q);
  }

  @Post(':service/:id/replay')
  @HttpCode(200)
  replay(
    @Param('service') service: string,
    @Param('id', new IdPipe('Parked message')) id: string,
    @Body(new ZodPipe(EmptyBodySchema)) _: object,
  ) {
    return this.admin.replayParked(service, id);
  }
}
