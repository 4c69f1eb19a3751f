import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppError, ErrorCode } from '../common/app-error.js';
import { type AuthedRequest, Public } from '../auth/auth.decorators.js';
import { hasScope, Scope, SYSTEM_ACTOR } from '../auth/auth.types.js';
import { ConfigReloadService } from './config-reload.service.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

@ApiTags('ops')
@Controller('-')
export class ConfigReloadController {
  constructor(private readonly reloader: ConfigReloadService) {}

  /** 200 when the new config is running; 400 with every error when it was refused. Loopback, or an admin key. */
  @Post('reload')
  @HttpCode(200)
  @Public()
  async reload(@Req() req: AuthedRequest) {
    const fromLoopback = LOOPBACK.test(req.socket.remoteAddress ?? '');
    const isAdmin = req.actor !== undefined && hasScope(req.actor, Scope.Admin);
    if (!fromLoopback && !isAdmin) {
      throw new AppError(
        ErrorCode.Forbidden,
        'POST /-/reload is accepted from loopback, or with an API key that has the admin scope; or send SIGHUP to the process.',
      );
    }
    const actor = isAdmin && req.actor ? req.actor : SYSTEM_ACTOR;
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
