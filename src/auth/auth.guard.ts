import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, ErrorCode } from '../common/app-error.js';
import { ApiKeyService } from './api-key.service.js';
import { ANY_SCOPE, type AuthedRequest, PUBLIC_METADATA, SCOPE_METADATA } from './auth.decorators.js';
import { hasScope, Scope } from './auth.types.js';

/**
 * Every route needs a key with its declared scope unless marked public; a route that declares
 * none needs `admin` (deny by default).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets) === true;
    const token = bearerToken(req.headers.authorization);
    if (isPublic) {
      // Public routes still learn who is calling when a valid key is sent (e.g. a remote reload).
      if (token) req.actor = (await this.keys.authenticate(token)) ?? undefined;
      return true;
    }
    if (!token) {
      throw new AppError(ErrorCode.Unauthenticated, 'Send an API key as "Authorization: Bearer <key>"; an admin can create one with POST /api/v1/keys or `tocsin keys create`.');
    }
    const actor = await this.keys.authenticate(token);
    if (!actor) {
      throw new AppError(ErrorCode.Unauthenticated, 'This API key is unknown, revoked, or a rotated-out secret past its 24 h grace period; ask an admin for a valid key.');
    }
    req.actor = actor;
    const needed = this.reflector.getAllAndOverride<Scope | typeof ANY_SCOPE | undefined>(SCOPE_METADATA, targets) ?? Scope.Admin;
    if (needed === ANY_SCOPE) return true;
    if (!hasScope(actor, needed)) {
      throw new AppError(ErrorCode.Forbidden, `This route needs the "${needed}" scope; key "${actor.keyName}" has ${actor.scopes.join(', ') || 'none'}.`);
    }
    return true;
  }
}

function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}
