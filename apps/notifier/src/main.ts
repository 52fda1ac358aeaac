import 'reflect-metadata';
import { bootstrap } from '@billing/common';
import { NotifierAppModule } from './app.module';
import { notifierConfigSchema } from './config';

void bootstrap({
  service: 'notifier',
  configSchema: notifierConfigSchema,
  module: (config) => NotifierAppModule.forRoot(config),
});
