import 'reflect-metadata';
import { bootstrap } from '@billing/common';
import { SuggestionsAppModule } from './app.module';
import { suggestionsConfigSchema } from './config';

void bootstrap({
  service: 'suggestions',
  configSchema: suggestionsConfigSchema,
  module: (config) => SuggestionsAppModule.forRoot(config),
});
