import { Module } from '@nestjs/common';
import { ResultsController } from './results.controller';
import { ResultsService } from './results.service';
import { RunExecutor } from './run.executor';
import { RunQueue } from './run.queue';
import { RunRepository } from './run.repository';
import { RunsController } from './runs.controller';
import { RunDocuments } from './run.documents';
import { RunsService } from './runs.service';

@Module({
  controllers: [RunsController, ResultsController],
  providers: [RunsService, ResultsService, RunDocuments, RunExecutor, RunQueue, RunRepository],
  exports: [RunQueue, RunRepository],
})
export class RunsModule {}
