import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CONFIG, ProblemError } from '@billing/common';
import type { Response } from 'express';
import type { GatewayConfig } from '../config';
import { ACCESS, type GatewayRequest, type Principal } from '../http/gateway-request';
import { unauthorized } from '../http/problem';
import { RateLimiter } from '../rate-limit/rate-limiter.service';
import { bearerToken, secretsEqual } from '../tenants/api-keys';
import type { KeyOwner } from '../tenants/tenant.repository';
import { TenantsService } from '../tenants/tenants.service';

/**
 * Every `/v1` route needs a tenant API key unless it is marked @AdminOnly (then the admin token).
 * Routes outside `/v1` (`/health`, `/metrics`, `/docs`) are public. A route that forgets a marker is
 * therefore tenant-scoped, never open.
 *
 * Rate limits apply here too, because they depend on who is calling: an authenticated caller spends
 * from its own bucket (per API key, or the admin token's); a request without a valid credential spends
 * from its client address's bucket, and an address over that budget is refused before any lookup.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tenants: TenantsService,
    private readonly limits: RateLimiter,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<GatewayRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const access = this.reflector.getAllAndOverride<string | undefined>(ACCESS, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (access !== 'admin' && !req.path.startsWith('/v1/')) return true;
    const principal = access === 'admin' ? await this.admin(req, res) : await this.tenant(req, res);
    await this.limits.admitCaller(principal.kind === 'admin' ? 'admin' : `key:${principal.apiKeyId}`, res);
    req.principal = principal;
    return true;
  }

  private async tenant(req: GatewayRequest, res: Response): Promise<Principal> {
    const token = bearerToken(req.headers.authorization);
    if (!token) return this.fail(req, res, 'An API key is required: send "Authorization: Bearer <api key>".');
    // A key resolved in the last seconds is known to be valid: no lookup, nothing to guess.
    let owner: KeyOwner | null | undefined = this.tenants.cachedKeyOwner(token);
    if (!owner) {
      await this.limits.checkAddress(clientAddress(req), res);
      owner = await this.tenants.authenticate(token).catch((err: unknown) => {
        if (err instanceof ProblemError && err.problem.status === 401) return null;
        throw err;
      });
      if (!owner) return this.fail(req, res, 'The API key is not valid.');
    }
    return { kind: 'tenant', tenant: owner.tenant, apiKeyId: owner.apiKeyId };
  }

  private async admin(req: GatewayRequest, res: Response): Promise<Principal> {
    const expected = this.config.ADMIN_TOKEN;
    if (!expected) throw unauthorized('The admin API is disabled: ADMIN_TOKEN is not set on the gateway.');
    await this.limits.checkAddress(clientAddress(req), res);
    const token = bearerToken(req.headers.authorization);
    if (!token)
      return this.fail(req, res, 'The admin token is required: send "Authorization: Bearer <admin token>".');
    if (!secretsEqual(token, expected)) return this.fail(req, res, 'The admin token is not valid.');
    return { kind: 'admin' };
  }

  /** A 401, counted against the client's address (a 429 instead once it has failed too often). */
  private async fail(req: GatewayRequest, res: Response, detail: string): Promise<never> {
    await this.limits.failedAttempt(clientAddress(req), res);
    throw unauthorized(detail);
  }
}

/** The client's address as the trusted proxies report it (TRUST_PROXY), else the socket's. */
function clientAddress(req: GatewayRequest): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
