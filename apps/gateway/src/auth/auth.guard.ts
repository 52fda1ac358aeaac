import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CONFIG } from '@billing/common';
import type { GatewayConfig } from '../config';
import { ACCESS, type GatewayRequest } from '../http/gateway-request';
import { unauthorized } from '../http/problem';
import { bearerToken, secretsEqual } from '../tenants/api-keys';
import { TenantsService } from '../tenants/tenants.service';

/**
 * Every `/v1` route needs a tenant API key unless it is marked @AdminOnly (then the admin token).
 * Routes outside `/v1` (`/health`, `/metrics`, `/docs`) are public. A route that forgets a marker is
 * therefore tenant-scoped, never open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tenants: TenantsService,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<GatewayRequest>();
    const access = this.reflector.getAllAndOverride<string | undefined>(ACCESS, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (access === 'admin') {
      this.checkAdmin(req.headers.authorization);
      req.principal = { kind: 'admin' };
      return true;
    }
    if (!req.path.startsWith('/v1/')) return true;
    const token = bearerToken(req.headers.authorization);
    if (!token) throw unauthorized('An API key is required: send "Authorization: Bearer <api key>".');
    const owner = await this.tenants.authenticate(token);
    req.principal = { kind: 'tenant', tenant: owner.tenant, apiKeyId: owner.apiKeyId };
    return true;
  }

  private checkAdmin(header: string | undefined): void {
    const expected = this.config.ADMIN_TOKEN;
    if (!expected) throw unauthorized('The admin API is disabled: ADMIN_TOKEN is not set on the gateway.');
    const token = bearerToken(header);
    if (!token)
      throw unauthorized('The admin token is required: send "Authorization: Bearer <admin token>".');
    if (!secretsEqual(token, expected)) throw unauthorized('The admin token is not valid.');
  }
}
