import { Module } from '@nestjs/common';
import { ReceivableRepository } from './receivable.repository';
import { ReceivablesController } from './receivables.controller';
import { ReceivablesService } from './receivables.service';

@Module({
  controllers: [ReceivablesController],
  providers: [ReceivablesService, ReceivableRepository],
  exports: [ReceivableRepository],
})
export class ReceivablesModule {}
