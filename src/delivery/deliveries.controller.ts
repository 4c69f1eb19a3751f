import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.decorators.js';
import { Scope } from '../auth/auth.types.js';
import { notFound } from '../common/app-error.js';
import type { Page } from '../common/pagination.js';
import { parseOrThrow } from '../common/zod-validation.js';
import { deliveryIdSchema, deliveryListQuerySchema, statsQuerySchema } from './deliveries.dto.js';
import { DeliveriesService } from './deliveries.service.js';
import type { DeliveryDetail, DeliveryStats, DeliveryView } from './deliveries.types.js';

@ApiTags('deliveries')
@Controller('api/v1/deliveries')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @RequireScope(Scope.DeliveriesRead)
  list(@Query() query: unknown): Promise<Page<DeliveryView>> {
    const { limit, cursor, ...filter } = parseOrThrow(deliveryListQuerySchema, query ?? {});
    return this.deliveries.list(filter, limit, cursor);
  }

  @Get('stats')
  @RequireScope(Scope.DeliveriesRead)
  stats(@Query() query: unknown): Promise<DeliveryStats> {
    return this.deliveries.stats(parseOrThrow(statsQuerySchema, query ?? {}).window);
  }

  @Get(':id')
  @RequireScope(Scope.DeliveriesRead)
  get(@Param('id') id: string): Promise<DeliveryDetail> {
    return this.deliveries.get(validDeliveryId(id));
  }
}

/** A path id that is not a number names no delivery: 404, as for an unknown one. */
export function validDeliveryId(id: string): string {
  if (!deliveryIdSchema.safeParse(id).success) throw notFound(`delivery ${id}`);
  return id;
}
