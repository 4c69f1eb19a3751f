import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../common/tokens.js';
import { AuditAction } from '../audit/audit.types.js';
import { AuditWriter } from '../audit/audit.writer.js';
import type { RequestMeta } from '../auth/api-key.service.js';
import { SYSTEM_ACTOR } from '../auth/auth.types.js';
import { Database } from '../db/database.service.js';
import { CONFIG_HOLDER } from './config.holder.js';
import { formatIssue } from './config.errors.js';
import type { ConfigStore, ReloadResult } from './config.store.js';

/** Reloads on SIGHUP and on `POST /-/reload`, as Alertmanager does; every reload is audited. */
@Injectable()
export class ConfigReloadService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly onSighup = () => {
    void this.reload({ actor: SYSTEM_ACTOR, requestId: null }, 'SIGHUP').catch((err: unknown) =>
      this.log.error({ err: { message: (err as Error).message } }, 'config reload on SIGHUP failed'),
    );
  };

  constructor(
    @Inject(CONFIG_HOLDER) private readonly store: ConfigStore,
    @Inject(ROOT_LOGGER) private readonly log: Logger,
    private readonly db: Database,
    private readonly audit: AuditWriter,
  ) {}

  onApplicationBootstrap(): void {
    process.on('SIGHUP', this.onSighup);
  }

  onApplicationShutdown(): void {
    process.off('SIGHUP', this.onSighup);
  }

  async reload(meta: RequestMeta, trigger: string): Promise<ReloadResult> {
    const result = this.store.reload();
    await this.db.transaction((tx) =>
      this.audit.append(tx, {
        actor: meta.actor,
        action: AuditAction.ConfigReload,
        target: this.store.path ?? 'built-in default',
        requestId: meta.requestId,
        details: { trigger, ok: result.ok, errors: result.errors.map(formatIssue) },
      }),
    );
    if (result.ok) {
      this.log.info({ trigger, warnings: result.warnings.map(formatIssue) }, 'configuration reloaded');
    } else {
      this.log.error({ trigger, errors: result.errors.map(formatIssue) }, 'configuration reload failed; the running configuration stays');
    }
    return result;
  }
}
