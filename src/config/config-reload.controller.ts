import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppError, ErrorCode } from '../common/app-error.js';
import { type AuthedRequest, Public } from '../auth/auth.decorators.js';
import { SYSTEM_ACTOR } from '../auth/auth.types.js';
import { ReloadAccess, reloadAccess } from './config-reload.access.js';
import { ConfigReloadService } from './config-reload.service.js';

@ApiTags('ops')
@Controller('-')
export class ConfigReloadController {
  constructor(private readonly reloader: ConfigReloadService) {}

  /** 200 when the new config is running; 400 with every error when it was refused. Loopback, or an admin key. */
  @Post('reload')
  @HttpCode(200)
  @Public()
  async reload(@Req() req: AuthedRequest) {
    const access = reloadAccess(req.socket.remoteAddress, req.actor);
    if (access === ReloadAccess.NeedsKey) {
      throw new AppError(
        ErrorCode.Unauthenticated,
        'POST /-/reload from another host needs "Authorization: Bearer <key>" with the admin scope; or call it from loopback, or send SIGHUP to the process.',
      );
    }
    if (access === ReloadAccess.NeedsAdmin) {
      throw new AppError(ErrorCode.Forbidden, 'POST /-/reload from another host needs a key with the admin scope; or call it from loopback, or send SIGHUP to the process.');
    }
    const actor = req.actor ?? SYSTEM_ACTOR;
    const result = await this.reloader.reload({ actor, requestId: String(req.id) }, 'http');
    if (!result.ok) {
      throw new AppError(
        ErrorCode.ConfigInvalid,
        'The new configuration was refused; the running one stays. Fix the keys listed in errors and reload again.',
        result.errors.map((e) => ({ path: e.path, message: e.message })),
      );
    }
    return { status: 'reloaded', warnings: result.warnings };
  }
}
