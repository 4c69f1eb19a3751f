import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startTocsin, type RunningTocsin } from '../../../src/main.js';
import { REDACT_PATHS } from '../../../src/ops/logger.js';
import { TEST_ADMIN_TOKEN } from '../../setup/app.js';
import { waitFor } from '../../setup/process.js';

describe('service log', () => {
  let lines: string[];
  let app: RunningTocsin;
  beforeAll(async () => {
    lines = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const env: NodeJS.ProcessEnv = { ...process.env, TOCSIN_ADMIN_TOKEN: TEST_ADMIN_TOKEN };
    delete env.TOCSIN_CONFIG;
    app = await startTocsin({
      env,
      logger: pino({ level: 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink),
      port: 0,
      host: '127.0.0.1',
      announceKey: () => undefined,
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('should log requests as JSON with the request id and never the bearer token', async () => {
    const res = await fetch(`${app.url}/api/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json', 'x-request-id': 'log-check-1' },
      body: JSON.stringify({ name: 'log-check', scopes: ['alerts:read'] }),
    });
    const { key } = (await res.json()) as { key: string };
    await waitFor(() => lines.join('\n').includes('log-check-1'), 5_000, 'the request log line');
    const joined = lines.join('\n');
    expect(lines.every((l) => JSON.parse(l) !== null)).toBe(true);
    expect(joined).toContain('log-check-1');
    expect(joined).not.toContain(TEST_ADMIN_TOKEN);
    expect(joined).not.toContain(key);
  });
});
