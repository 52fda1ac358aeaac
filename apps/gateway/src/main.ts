import 'reflect-metadata';
import { bootstrap } from '@billing/common';
import { GatewayAppModule } from './app.module';
import { gatewayConfigSchema } from './config';
import { configureGatewayHttp } from './http/configure-http';

void bootstrap({
  service: 'gateway',
  configSchema: gatewayConfigSchema,
  module: (config) => GatewayAppModule.forRoot(config),
  configure: (app, config) => configureGatewayHttp(app, config),
});
