import { Inject, Injectable } from '@nestjs/common';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import { Database } from '../db/database.service.js';
import { sloDefinitions } from './slo-math.js';
import { SloRepository } from './slo.repository.js';
import { SloState, type SloView } from './slo.types.js';

/** The SLOs as the leader last evaluated them, with their targets from the running config. */
@Injectable()
export class SloService {
  constructor(
    private readonly db: Database,
    private readonly repo: SloRepository,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
  ) {}

  async list(): Promise<SloView[]> {
    const stored = new Map((await this.repo.states(this.db.reader)).map((r) => [r.name, r]));
    return sloDefinitions(this.config.current().heartbeats).map((def) => {
      const r = stored.get(def.name);
      return {
        name: def.name,
        value: r?.value ?? null,
        unit: def.unit,
        target: def.target,
        threshold: def.threshold,
        state: r?.state ?? SloState.NoData,
        since: r?.since.toISOString() ?? null,
        evaluatedAt: r?.evaluatedAt.toISOString() ?? null,
      };
    });
  }
}
