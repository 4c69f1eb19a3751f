import { APP_ENV } from '../common/tokens.js';
import { Module } from '@nestjs/common';
import { ChannelsTransport } from './channels-transport.js';
import { CoalesceRepository } from './coalesce.repository.js';
import { CoalesceService } from './coalesce.service.js';
import { DeliveryOpsController } from './delivery-ops.controller.js';
import { DeliveryPauseRepository } from './delivery-pause.repository.js';
import { DeliveryPauseService } from './delivery-pause.service.js';
import { DELIVERY_TRANSPORT } from './delivery-transport.js';
import { DeliveryMetrics } from './delivery.metrics.js';
import { DELIVERY_OPTIONS, deliveryOptionsFrom } from './delivery.options.js';
import { DeliveryProcessor, RETRY_RANDOM } from './delivery.processor.js';
import { DeliveryRepository } from './delivery.repository.js';
import { DeliverySettler } from './delivery.settler.js';
import { DeliveryWorker } from './delivery.worker.js';
import { RateLimitRepository } from './rate-limit/rate-limit.repository.js';
import { RATE_LIMITER } from './rate-limit/rate-limiter.js';
import { SharedRateLimiter } from './rate-limit/shared-rate-limiter.js';

/**
 * The delivery engine: claim loop, sends, retries, poison, rate limits, coalescing, pause.
 * Environment (read once at start): TOCSIN_WORKERS=0 turns the loop off in this process,
 * TOCSIN_DELIVERY_CONCURRENCY, TOCSIN_DELIVERY_PREFETCH, TOCSIN_DELIVERY_POLL_MS, TOCSIN_RATE_LIMIT_MARGIN_MS,
 * REDIS_URL.
 */
@Module({
  controllers: [DeliveryOpsController],
  providers: [
    { provide: DELIVERY_OPTIONS, useFactory: (env: NodeJS.ProcessEnv) => deliveryOptionsFrom(env), inject: [APP_ENV] },
    { provide: RETRY_RANDOM, useValue: Math.random },
    { provide: DELIVERY_TRANSPORT, useClass: ChannelsTransport },
    { provide: RATE_LIMITER, useExisting: SharedRateLimiter },
    SharedRateLimiter,
    RateLimitRepository,
    DeliveryRepository,
    DeliveryMetrics,
    DeliverySettler,
    DeliveryProcessor,
    DeliveryWorker,
    CoalesceRepository,
    CoalesceService,
    DeliveryPauseRepository,
    DeliveryPauseService,
  ],
  exports: [DeliveryWorker, DeliveryRepository, DeliveryPauseService, DeliveryMetrics],
})
export class DeliveryModule {}
