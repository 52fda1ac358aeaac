import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { DailyRuns } from './daily-runs';

@Module({ imports: [RunsModule], providers: [DailyRuns] })
export class DailyModule {}
