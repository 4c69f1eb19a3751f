import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { RequestMeta } from './api-key.service.js';
import type { Actor, Scope } from './auth.types.js';

export const SCOPE_METADATA = Symbol('tocsin:scope');
export const PUBLIC_METADATA = Symbol('tocsin:public');

/** The scope a route needs (an `admin` key has every scope). Also written into the OpenAPI document. */
export const RequireScope = (scope: Scope): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(SCOPE_METADATA, scope),
    ApiBearerAuth(),
    ApiExtension('x-required-scope', scope),
    ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked API key' }),
    ApiForbiddenResponse({ description: `The key lacks the ${scope} scope` }),
  );

/** Any valid key may call this route, whatever its scopes (whoami). */
export const ANY_SCOPE = 'any';
export const AnyKey = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(SCOPE_METADATA, ANY_SCOPE),
    ApiBearerAuth(),
    ApiExtension('x-required-scope', ANY_SCOPE),
    ApiUnauthorizedResponse({ description: 'Missing, unknown or revoked API key' }),
  );

/** A route that needs no key (health, metrics, the OpenAPI document). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_METADATA, true);

export interface AuthedRequest extends FastifyRequest {
  actor?: Actor;
}

/** The caller and the request id, for services that audit what they do. */
export const Meta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestMeta => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  if (!req.actor) throw new Error('Meta used on a route without authentication');
  return { actor: req.actor, requestId: String(req.id) };
});
