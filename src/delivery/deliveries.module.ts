import { Module } from '@nestjs/common';
import { DeliveriesController } from './deliveries.controller.js';
import { DeliveriesRepository } from './deliveries.repository.js';
import { DeliveriesService } from './deliveries.service.js';
import { PoisonController } from './poison.controller.js';
import { PoisonService } from './poison.service.js';

/** The read and admin side of deliveries: lists, detail, stats, and the poison queue (replay, discard). */
@Module({
  controllers: [DeliveriesController, PoisonController],
  providers: [DeliveriesRepository, DeliveriesService, PoisonService],
  exports: [DeliveriesService, PoisonService],
})
export class DeliveriesModule {}
