import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from './main.js';

const REPO = resolve(import.meta.dirname, '..', '..');

async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, cwd: REPO });
  return { code, stdout, stderr };
}

describe('tocsin config check', () => {
  it('should exit 0 for the example file with no variables set', async () => {
    const r = await run(['config', 'check', 'tocsin.example.yml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('tocsin.example.yml: OK (4 receivers, 1 inhibit rules, 0 warnings)\n');
  });

  it('should print each error as key.path: reason and exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-cli-'));
    const file = join(dir, 'bad.yml');
    writeFileSync(
      file,
      'route: { receiver: nobody }\nreceivers:\n  - name: a\n    slack_configs: [{ api_url: "https://hooks.slack.com/x", title: "{{ .Status }}" }]\n    sms_configs: [{ to: "12" }]\n',
    );
    const r = await run(['config', 'check', file]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      'receivers[0].sms_configs[0].to: "12" is not a phone number in E.164 form (+15551234567)',
      'route.receiver: receiver "nobody" is not defined; defined receivers: a',
      'channels.sms.account_sid: account_sid is empty; required because receivers use sms_configs',
      'channels.sms.auth_token: auth_token is empty; required because receivers use sms_configs',
      'channels.sms.from: from (or messaging_service_sid) is empty; required because receivers use sms_configs',
      expect.stringMatching(/^warning: receivers\[0\]\.slack_configs\[0\]\.title: uses Go text\/template syntax/),
      '',
    ]);
    expect(r.stderr).toBe(`${file}: 5 errors\n`);
  });

  it('should print JSON with --json', async () => {
    const r = await run(['config', 'check', '--json', 'test/fixtures/config/alertmanager.yml'], { SMTP_PASSWORD: 'x' });
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { ok: boolean; errors: unknown[]; warnings: { path: string }[] };
    expect(body.ok).toBe(true);
    expect(body.warnings.map((w) => w.path)).toContain('templates[0]');
  });

  it('should exit 1 for a file that does not exist', async () => {
    const r = await run(['config', 'check', 'no-such-file.yml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^cannot read config file .*no-such-file\.yml: ENOENT\n$/);
  });

  it('should exit 2 on a usage error', async () => {
    expect((await run(['config', 'check'])).code).toBe(2);
    expect((await run(['config', 'chek', 'x.yml'])).code).toBe(2);
    expect((await run(['--bogus'])).code).toBe(2);
  });

  it('should exit 0 for --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('config');
  });
});
