import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiZodBody } from '../common/openapi.js';
import { notFound } from '../common/app-error.js';
import { pageQuerySchema } from '../common/pagination.js';
import { parseOrThrow } from '../common/zod-validation.js';
import { createKeySchema, keyIdSchema } from './api-key.dto.js';
import { ApiKeyService, type RequestMeta } from './api-key.service.js';
import { AnyKey, Meta, RequireScope } from './auth.decorators.js';
import { Scope } from './auth.types.js';

@ApiTags('keys')
@Controller('api/v1')
export class ApiKeyController {
  constructor(private readonly keys: ApiKeyService) {}

  @Get('auth/whoami')
  @AnyKey()
  whoami(@Meta() meta: RequestMeta) {
    return { keyId: meta.actor.keyId, keyName: meta.actor.keyName, scopes: meta.actor.scopes };
  }

  @Post('keys')
  @HttpCode(201)
  @RequireScope(Scope.Admin)
  @ApiZodBody(createKeySchema)
  create(@Body() body: unknown, @Meta() meta: RequestMeta) {
    const input = parseOrThrow(createKeySchema, body);
    return this.keys.create(input.name, input.scopes, meta);
  }

  @Get('keys')
  @RequireScope(Scope.Admin)
  list(@Query() q: unknown) {
    const page = parseOrThrow(pageQuerySchema, q);
    return this.keys.list(page.limit, page.cursor);
  }

  @Post('keys/:id/rotate')
  @HttpCode(201)
  @RequireScope(Scope.Admin)
  rotate(@Param('id') id: string, @Meta() meta: RequestMeta) {
    return this.keys.rotate(validId(id), meta);
  }

  @Delete('keys/:id')
  @HttpCode(204)
  @RequireScope(Scope.Admin)
  async revoke(@Param('id') id: string, @Meta() meta: RequestMeta): Promise<void> {
    await this.keys.revoke(validId(id), meta);
  }
}

function validId(id: string): string {
  if (!keyIdSchema.safeParse(id).success) throw notFound(`API key ${id}`);
  return id;
}
