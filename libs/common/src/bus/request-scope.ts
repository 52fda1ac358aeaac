import { AsyncLocalStorage } from 'async_hooks';
import { createHash } from 'crypto';

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
  /** RPC calls made in this scope so far, per subject (see `callRequestId`). */
  readonly calls: Map<string, number>;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<T>(requestId: string, recordsResult: boolean, work: () => T): T {
  return storage.run({ requestId, recordsResult, claimed: false, calls: new Map() }, work);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/**
 * The request id one RPC call of an idempotent request forwards: the n-th call to a subject gets its own
 * id, derived from the request's. A request made of several calls (an import: begin, append…, commit)
 * has each call's result recorded apart — with the request's own id, every call after the first would
 * be answered with the first one's result — while a retry, which makes the same calls in the same order,
 * meets each call's record again. (The calls of one request are made one after another.)
 */
export function callRequestId(scope: RequestScope, call: string): string {
  const n = scope.calls.get(call) ?? 0;
  scope.calls.set(call, n + 1);
  return requestIdOfCall(scope.requestId, call, n);
}

/** The id of the n-th (from 0) call named `call` (`<service>.<name>.v<version>`) of a request. */
export function requestIdOfCall(requestId: string, call: string, n: number): string {
  return createHash('sha256').update(`${requestId}\0${call}\0${n}`, 'utf8').digest('hex');
}

/** Thrown by the unit of work when the request already committed: carries its recorded result. */
export class AlreadyApplied extends Error {
  constructor(readonly result: unknown) {
    super('request already applied');
    this.name = 'AlreadyApplied';
  }
}
