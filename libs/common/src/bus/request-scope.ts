import { AsyncLocalStorage } from 'async_hooks';

/**
 * The request a piece of work belongs to, when the caller made it idempotent. The gateway derives the
 * id from the client's Idempotency-Key (and the request itself); RpcClient forwards it, RpcServer runs
 * the handler inside it, and the handler's first committed transaction records its result under it, so
 * a retry after a lost answer (504) returns that result instead of doing the work twice.
 */
export interface RequestScope {
  readonly requestId: string;
  /** True inside a service handling an RPC: its first transaction claims the id. */
  readonly recordsResult: boolean;
  claimed: boolean;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<T>(requestId: string, recordsResult: boolean, work: () => T): T {
  return storage.run({ requestId, recordsResult, claimed: false }, work);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Thrown by the unit of work when the request already committed: carries its recorded result. */
export class AlreadyApplied extends Error {
  constructor(readonly result: unknown) {
    super('request already applied');
    this.name = 'AlreadyApplied';
  }
}
