import 'reflect-metadata';
import { bootstrap } from '@billing/common';
import { TemplatesAppModule } from './app.module';
import { templatesConfigSchema } from './config';

void bootstrap({
  service: 'templates',
  configSchema: templatesConfigSchema,
  module: (config) => TemplatesAppModule.forRoot(config),
});
