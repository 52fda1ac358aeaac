import 'reflect-metadata';
import { bootstrap } from '@billing/common';
import { InvoicingAppModule } from './app.module';
import { invoicingConfigSchema } from './config';

void bootstrap({
  service: 'invoicing',
  configSchema: invoicingConfigSchema,
  module: (config) => InvoicingAppModule.forRoot(config),
});
