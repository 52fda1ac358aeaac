import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { RequestError, TimeoutError, type Msg, type Subscription } from '@nats-io/nats-core';
import {
  type RpcContract,
  type RpcReply,
  type RpcRequest,
  type RpcResponse,
  type RpcRequestEnvelope,
  RpcRequestEnvelopeSchema,
  type ServiceName,
  type TenantContext,
  ProblemSchema,
  rpcServiceWildcard,
  rpcSubject,
} from '@billing/contracts';
import type { BaseConfig } from '../config/config';
import { ProblemError, parseOrThrow } from '../errors/problem.error';
import { Metrics } from '../metrics/metrics';
import { CONFIG, NATS, SERVICE_NAME } from '../tokens';
import { RPC_HANDLER } from './decorators';
import { HandlerDiscovery } from './discovery';
import type { BusConnection } from './nats';
import { AlreadyApplied, callRequestId, currentRequestScope, runInRequestScope } from './request-scope';

export interface RpcContext {
  tenant: TenantContext | null;
  /** Set when the caller made the request idempotent (see request-scope.ts). */
  requestId: string | null;
}

/** The tenant of a call, for handlers that only make sense for one. */
export function requireTenant(ctx: RpcContext): TenantContext {
  if (!ctx.tenant) throw ProblemError.invalidState('This call needs a tenant.');
  return ctx.tenant;
}

type Handler = (data: unknown, ctx: RpcContext) => Promise<unknown>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Answers `<root>.rpc.<service>.>` in a queue group, so replicas share the calls. Requests are
 * validated against their contract; every failure is answered as a problem, never left to time out.
 */
@Injectable()
export class RpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RpcServer');
  private readonly handlers = new Map<string, { contract: RpcContract; handle: Handler }>();
  private subscription?: Subscription;

  constructor(
    @Inject(NATS) private readonly bus: BusConnection,
    @Inject(SERVICE_NAME) private readonly service: ServiceName,
    private readonly discovery: HandlerDiscovery,
    private readonly metrics: Metrics,
  ) {}

  register(contract: RpcContract, handle: Handler): void {
    if (contract.service !== this.service) {
      throw new Error(`${contract.name} belongs to ${contract.service}, not ${this.service}`);
    }
    this.handlers.set(rpcSubject(this.bus.root, contract), { contract, handle });
  }

  onApplicationBootstrap(): void {
    for (const m of this.discovery.methodsWith<RpcContract>(RPC_HANDLER)) {
      this.register(m.meta, (data, ctx) => m.call(data, ctx));
    }
    const root = this.bus.root;
    this.subscription = this.bus.nc.subscribe(rpcServiceWildcard(root, this.service), {
      queue: `${root}.${this.service}`,
      callback: (err, msg) => {
        if (err) {
          this.logger.error(`subscription error: ${err.message}`);
          return;
        }
        void this.answer(msg);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.subscription && !this.subscription.isClosed()) await this.subscription.drain();
  }

  private async answer(msg: Msg): Promise<void> {
    const started = process.hrtime.bigint();
    const entry = this.handlers.get(msg.subject);
    let reply: RpcReply;
    try {
      if (!entry) throw ProblemError.notFound('Operation', msg.subject);
      const envelope = parseOrThrow(RpcRequestEnvelopeSchema, JSON.parse(decoder.decode(msg.data)));
      const data: unknown = parseOrThrow(entry.contract.request, envelope.data);
      const requestId = envelope.request_id ?? null;
      const handle = () => entry.handle(data, { tenant: envelope.tenant, requestId });
      reply = { ok: true, data: await (requestId ? runInRequestScope(requestId, true, handle) : handle()) };
    } catch (err) {
      if (err instanceof AlreadyApplied) {
        reply = { ok: true, data: err.result };
      } else if (err instanceof ProblemError) {
        reply = { ok: false, problem: err.problem };
      } else {
        this.logger.error({ msg: `rpc ${msg.subject} failed`, err });
        reply = { ok: false, problem: ProblemError.internal().problem };
      }
    }
    const outcome = reply.ok ? 'ok' : String(reply.problem.status);
    this.metrics.rpcRequests.observe(
      { subject: entry?.contract.name ?? 'unknown', outcome },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    if (msg.reply) msg.respond(encoder.encode(JSON.stringify(reply)));
  }
}

/** Calls another service. No responder → 503; no answer in time → 504; a problem reply is rethrown. */
@Injectable()
export class RpcClient {
  constructor(
    @Inject(NATS) private readonly bus: BusConnection,
    @Inject(CONFIG) private readonly config: BaseConfig,
  ) {}

  async call<C extends RpcContract>(
    contract: C,
    data: RpcRequest<C>,
    tenant: TenantContext | null,
    timeoutMs = this.config.RPC_TIMEOUT_MS,
  ): Promise<RpcResponse<C>> {
    const subject = rpcSubject(this.bus.root, contract);
    const scope = currentRequestScope();
    let raw: Uint8Array;
    try {
      const envelope: RpcRequestEnvelope = {
        tenant,
        data,
        request_id: scope
          ? callRequestId(scope, `${contract.service}.${contract.name}.v${contract.version}`)
          : null,
      };
      const response = await this.bus.nc.request(subject, encoder.encode(JSON.stringify(envelope)), {
        timeout: timeoutMs,
      });
      raw = response.data;
    } catch (err) {
      throw rpcFailure(contract, err);
    }
    const reply = JSON.parse(decoder.decode(raw)) as RpcReply<RpcResponse<C>>;
    if (!reply.ok) throw new ProblemError(ProblemSchema.parse(reply.problem));
    return reply.data;
  }
}

function rpcFailure(contract: RpcContract, err: unknown): ProblemError {
  const service = contract.service;
  if (err instanceof RequestError && err.isNoResponders()) {
    return ProblemError.unavailable(`The ${service} service is unavailable; try again shortly.`);
  }
  if (err instanceof TimeoutError || (err instanceof RequestError && err.cause instanceof TimeoutError)) {
    return ProblemError.timeout(
      `The ${service} service did not answer in time; the request may or may not have been applied.`,
    );
  }
  return ProblemError.unavailable(`The ${service} service could not be reached: ${(err as Error).message}`);
}
