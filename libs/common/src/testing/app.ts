import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { RpcContract, RpcRequest, RpcResponse, TenantContext } from '@billing/contracts';
import type { z } from 'zod';
import { RpcClient } from '../bus/rpc';
import type { BaseConfig } from '../config/config';
import { loadConfig } from '../config/config';
import { JsonLogger } from '../logging/json-logger';
import { uuidv7 } from '../ids';

/** Boots an app in-process on a random port, configured from `env` like its main.ts would be. */
export async function bootTestApp<S extends z.ZodType>(
  schema: S,
  module: (config: z.infer<S>) => unknown,
  env: NodeJS.ProcessEnv,
  configure?: (app: INestApplication, config: z.infer<S>) => void | Promise<void>,
): Promise<{ app: INestApplication; config: z.infer<S> & BaseConfig; url: string }> {
  const config = loadConfig(schema, { ...env, PORT: '0' }) as z.infer<S> & BaseConfig;
  const app = await NestFactory.create(module(config) as never, new ExpressAdapter(), {
    logger: new JsonLogger('test', config.LOG_LEVEL),
    bodyParser: false,
    abortOnError: false,
  });
  await configure?.(app, config);
  await app.listen(0, '127.0.0.1');
  return { app, config, url: await app.getUrl() };
}

/** A stand-alone RPC caller for tests (what the gateway does). */
export class TestRpc {
  private constructor(
    readonly nc: NatsConnection,
    private readonly client: RpcClient,
  ) {}

  static async connect(natsUrl: string, root: string, timeoutMs = 3000): Promise<TestRpc> {
    const nc = await connect({ servers: natsUrl });
    const client = new RpcClient({ nc, root }, { RPC_TIMEOUT_MS: timeoutMs } as BaseConfig);
    return new TestRpc(nc, client);
  }

  call<C extends RpcContract>(
    contract: C,
    data: RpcRequest<C>,
    tenant: TenantContext | null,
  ): Promise<RpcResponse<C>> {
    return this.client.call(contract, data, tenant);
  }

  async close(): Promise<void> {
    await this.nc.close();
  }
}

export function testTenant(overrides: Partial<TenantContext> = {}): TenantContext {
  return { id: uuidv7(), name: 'Acme Retainers', base_currency: 'USD', timezone: 'UTC', ...overrides };
}
