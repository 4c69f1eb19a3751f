import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigInvalidError } from './config.errors.js';
import { ConfigStore, resolveConfigSource } from './config.store.js';

const GOOD = 'route: { receiver: a }\nreceivers: [{ name: a, log_configs: [{}] }]\n';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tocsin-store-'));
}

describe(ConfigStore.name, () => {
  describe('resolveConfigSource', () => {
    it('should prefer TOCSIN_CONFIG, then ./tocsin.yml, then the default', () => {
      const dir = tempDir();
      expect(resolveConfigSource({}, dir)).toEqual({ path: null, usedDefault: true });
      writeFileSync(join(dir, 'tocsin.yml'), GOOD);
      expect(resolveConfigSource({}, dir)).toEqual({ path: join(dir, 'tocsin.yml'), usedDefault: false });
      expect(resolveConfigSource({ TOCSIN_CONFIG: 'other.yml' }, dir)).toEqual({ path: join(dir, 'other.yml'), usedDefault: false });
    });
  });

  it('should use the built-in config when no file exists', () => {
    const store = ConfigStore.open({ env: {}, cwd: tempDir() });
    expect(store.usedDefault).toBe(true);
    expect(store.current().route.receiver).toBe('log');
  });

  it('should throw ConfigInvalidError when the first load fails', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tocsin.yml'), 'route: {}\n');
    expect(() => ConfigStore.open({ env: {}, cwd: dir })).toThrow(ConfigInvalidError);
  });

  it('should swap the config and tell listeners on a good reload', () => {
    const dir = tempDir();
    const path = join(dir, 'tocsin.yml');
    writeFileSync(path, GOOD);
    const store = ConfigStore.open({ env: {}, cwd: dir });
    const seen: string[] = [];
    store.onChange((c, prev) => seen.push(`${prev.route.receiver}->${c.route.receiver}`));
    writeFileSync(path, 'route: { receiver: b }\nreceivers: [{ name: b, log_configs: [{}] }]\n');
    expect(store.reload()).toEqual({ ok: true, errors: [], warnings: [] });
    expect(store.current().route.receiver).toBe('b');
    expect(seen).toEqual(['a->b']);
  });

  it('should keep the running config when a reload fails', () => {
    const dir = tempDir();
    const path = join(dir, 'tocsin.yml');
    writeFileSync(path, GOOD);
    const store = ConfigStore.open({ env: {}, cwd: dir });
    const before = store.current();
    let calls = 0;
    store.onChange(() => calls++);
    writeFileSync(path, GOOD.replace('receiver: a', 'receiver: nobody'));
    const result = store.reload();
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([{ path: 'route.receiver', message: 'receiver "nobody" is not defined; defined receivers: a' }]);
    expect(store.current()).toBe(before);
    expect(calls).toBe(0);
  });
});
