import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { TenantContext } from '@billing/contracts';
import type { Request } from 'express';

/** Who is calling: an operator with the admin token, or a tenant through one of its API keys. */
export type Principal = { kind: 'admin' } | { kind: 'tenant'; tenant: TenantContext; apiKeyId: string };

export interface GatewayRequest extends Request {
  principal?: Principal;
}

export const ACCESS = Symbol('ACCESS');
/** Marks the operator API: the admin token is required instead of an API key. */
export const AdminOnly = () => SetMetadata(ACCESS, 'admin');

/** The tenant of the calling API key (the auth guard has resolved it before any handler runs). */
export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantContext => {
  const principal = ctx.switchToHttp().getRequest<GatewayRequest>().principal;
  if (principal?.kind !== 'tenant') throw new Error('CurrentTenant used on a route without tenant auth');
  return principal.tenant;
});
