import type { EventContract, RpcContract, ServiceName } from './define';

/**
 * Every subject of the platform is built here from a contract and the bus root (`BUS_ROOT`,
 * `billing` in production; tests use their own root so that each test file has its own streams).
 *
 * Events:  <root>.<family>.<event>.v<N>      e.g. billing.template.created.v1   (JetStream, stored)
 * RPC:     <root>.rpc.<service>.<name>.v<N>  e.g. billing.rpc.templates.create.v1 (core request/reply)
 */
export const EVENT_FAMILIES = [
  'tenant',
  'customer',
  'vendor',
  'template',
  'occurrence',
  'invoice',
  'delivery',
  'suggestion',
  // Facts other platforms publish: `<root>.transaction.recorded.v1` (see suggestions/index.ts).
  'transaction',
] as const;

export const BUS_ROOT_PATTERN = /^[a-z][a-z0-9_]{0,30}$/;

export function eventSubject(root: string, contract: EventContract): string {
  return `${root}.${contract.name}.v${contract.version}`;
}

export function rpcSubject(root: string, contract: RpcContract): string {
  return `${root}.rpc.${contract.service}.${contract.name}.v${contract.version}`;
}

export function rpcServiceWildcard(root: string, service: ServiceName): string {
  return `${root}.rpc.${service}.>`;
}

/** The one stream that stores every event family. */
export function eventStreamName(root: string): string {
  return `${root.toUpperCase()}_EVENTS`;
}

export function eventStreamSubjects(root: string): string[] {
  return EVENT_FAMILIES.map((family) => `${root}.${family}.>`);
}

/** JetStream key-value bucket holding the manual clock (CLOCK_MODE=manual). */
export function clockBucketName(root: string): string {
  return `${root}_clock`;
}

/** Durable consumer name of one service's subscription to one event. */
export function durableName(service: ServiceName, contract: EventContract): string {
  return `${service}_${contract.name.replace(/\./g, '_')}_v${contract.version}`;
}
