/** Injection tokens of the platform module. */
export const CONFIG = Symbol('CONFIG');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const NATS = Symbol('NATS');
