import { Scope } from '../auth/auth.types.js';
import { ReloadAccess, reloadAccess } from './config-reload.access.js';

const admin = { keyId: '1', keyName: 'ops', scopes: [Scope.Admin] };
const reader = { keyId: '2', keyName: 'grafana', scopes: [Scope.AlertsRead] };

describe(reloadAccess.name, () => {
  it.each([
    ['127.0.0.1', undefined, ReloadAccess.Allowed],
    ['::1', undefined, ReloadAccess.Allowed],
    ['::ffff:127.0.0.1', reader, ReloadAccess.Allowed],
    ['10.1.2.3', undefined, ReloadAccess.NeedsKey],
    ['10.1.2.3', reader, ReloadAccess.NeedsAdmin],
    ['10.1.2.3', admin, ReloadAccess.Allowed],
    [undefined, undefined, ReloadAccess.NeedsKey],
  ])('should answer %s with key %j → %s', (address, actor, expected) => {
    expect(reloadAccess(address, actor)).toBe(expected);
  });
});
