import {
  type RpcContract,
  type RpcReply,
  RpcRequestEnvelopeSchema,
  type RpcRequest,
  type RpcResponse,
  type TenantContext,
  rpcSubject,
} from '@billing/contracts';
import { ProblemError, zodFieldErrors } from '@billing/common';
import { TEST_NATS_URL, connectNats } from '@billing/common/testing';
import type { Msg, NatsConnection, Subscription } from '@nats-io/nats-core';

/** One request a fake service received, as the gateway sent it. */
export interface FakeCall<C extends RpcContract = RpcContract> {
  operation: string;
  data: RpcRequest<C>;
  tenant: TenantContext | null;
  requestId: string | null;
}

export type FakeHandler<C extends RpcContract> = (
  data: RpcRequest<C>,
  call: FakeCall<C>,
) => RpcResponse<C> | Promise<RpcResponse<C>>;

/**
 * Stands in for the services behind the gateway, so the gateway is tested on its own: answers RPC
 * subjects the way RpcServer does (the request is validated against its contract; `{ok: true, data}`,
 * or `{ok: false, problem}` when the handler throws a ProblemError) and records every call. The fakes'
 * requests and own answers are checked against the contract: a request outside it is a gateway bug, an
 * answer outside it a wrong fixture; both are kept in `errors` for the tests to assert on.
 */
export class FakeServices {
  readonly calls: FakeCall[] = [];
  readonly errors: string[] = [];
  private subscriptions: Subscription[] = [];

  private constructor(
    private readonly nc: NatsConnection,
    private readonly root: string,
  ) {}

  static async connect(root: string): Promise<FakeServices> {
    return new FakeServices(await connectNats({ servers: TEST_NATS_URL }), root);
  }

  /** Answers `contract` with `handler` until reset; resolves once the subscription is live. */
  async answer<C extends RpcContract>(contract: C, handler: FakeHandler<C>): Promise<void> {
    const subscription = this.nc.subscribe(rpcSubject(this.root, contract), {
      callback: (_err, msg) => void this.reply(contract, handler, msg),
    });
    this.subscriptions.push(subscription);
    await this.nc.flush();
  }

  callsTo<C extends RpcContract>(contract: C): FakeCall<C>[] {
    return this.calls.filter((c) => c.operation === contract.name);
  }

  /** Stops every fake and forgets the calls. */
  async reset(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions = [];
    this.calls.length = 0;
    this.errors.length = 0;
    await this.nc.flush();
  }

  async close(): Promise<void> {
    await this.nc.close();
  }

  private async reply<C extends RpcContract>(contract: C, handler: FakeHandler<C>, msg: Msg): Promise<void> {
    let reply: RpcReply;
    try {
      const envelope = RpcRequestEnvelopeSchema.parse(msg.json());
      const request = contract.request.safeParse(envelope.data);
      if (!request.success) {
        // The gateway validates before forwarding: a request outside the contract is its bug.
        this.errors.push(`${contract.name} was sent outside its contract: ${request.error.message}`);
        throw ProblemError.validation(zodFieldErrors(request.error));
      }
      const data = request.data as RpcRequest<C>;
      const call: FakeCall<C> = {
        operation: contract.name,
        data,
        tenant: envelope.tenant,
        requestId: envelope.request_id ?? null,
      };
      this.calls.push(call);
      const result = await handler(data, call);
      const checked = contract.response.safeParse(result);
      if (!checked.success) {
        this.errors.push(`${contract.name} answered outside its contract: ${checked.error.message}`);
      }
      reply = { ok: true, data: result };
    } catch (err) {
      if (err instanceof ProblemError) reply = { ok: false, problem: err.problem };
      else {
        this.errors.push(`${contract.name} failed: ${(err as Error).message}`);
        reply = { ok: false, problem: ProblemError.internal().problem };
      }
    }
    msg.respond(JSON.stringify(reply));
  }
}
