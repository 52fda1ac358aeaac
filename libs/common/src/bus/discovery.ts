import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

export interface DiscoveredMethod<M> {
  meta: M;
  instance: object;
  methodName: string;
  call: (...args: unknown[]) => Promise<unknown>;
}

/** Finds decorated handler methods on every provider and controller. */
@Injectable()
export class HandlerDiscovery {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  methodsWith<M>(key: symbol): DiscoveredMethod<M>[] {
    const found: DiscoveredMethod<M>[] = [];
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[methodName] as ((...args: unknown[]) => Promise<unknown>) | undefined;
        if (typeof method !== 'function') continue;
        const meta = this.reflector.get<M | undefined>(key, method);
        if (meta === undefined) continue;
        found.push({ meta, instance, methodName, call: method.bind(instance) });
      }
    }
    return found;
  }
}
