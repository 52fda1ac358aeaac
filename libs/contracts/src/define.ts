import { z } from 'zod';

/** A fact published on JetStream: `<root>.<name>.v<version>`, e.g. `billing.template.created.v1`. */
export interface EventContract<S extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly name: string;
  readonly version: number;
  readonly data: S;
}

/** A request/reply call answered by one service: `<root>.rpc.<service>.<name>.v<version>`. */
export interface RpcContract<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly kind: 'rpc';
  readonly service: ServiceName;
  readonly name: string;
  readonly version: number;
  readonly request: Req;
  readonly response: Res;
}

export type ServiceName = 'gateway' | 'templates' | 'invoicing' | 'scheduler' | 'notifier' | 'suggestions';

export function defineEvent<S extends z.ZodType>(name: string, version: number, data: S): EventContract<S> {
  return { kind: 'event', name, version, data };
}

export function defineRpc<Req extends z.ZodType, Res extends z.ZodType>(
  service: ServiceName,
  name: string,
  version: number,
  request: Req,
  response: Res,
): RpcContract<Req, Res> {
  return { kind: 'rpc', service, name, version, request, response };
}

export type EventData<C extends EventContract> = z.infer<C['data']>;
export type RpcRequest<C extends RpcContract> = z.infer<C['request']>;
export type RpcResponse<C extends RpcContract> = z.infer<C['response']>;
