import 'reflect-metadata';
import { bootstrap } from '@billing/common';
import { SchedulerAppModule } from './app.module';
import { schedulerConfigSchema } from './config';

void bootstrap({
  service: 'scheduler',
  configSchema: schedulerConfigSchema,
  module: (config) => SchedulerAppModule.forRoot(config),
});
