import pg from 'pg';
import { createScratchDatabase } from '../../setup/databases.js';
import { startTestApp, type TestApp } from '../../setup/app.js';

describe('three replicas starting at the same moment', () => {
  it('should apply each migration exactly once and all become ready', async () => {
    const db = await createScratchDatabase('tocsin_replicas');
    const apps: TestApp[] = [];
    try {
      const started = await Promise.all([0, 1, 2].map(() => startTestApp({ env: { DATABASE_URL: db.url, TOCSIN_WORKERS: '0' } })));
      apps.push(...started);
      for (const app of apps) {
        expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      }
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query<{ name: string; n: string }>(
        'SELECT name, count(*)::text AS n FROM tocsin_migrations GROUP BY name',
      );
      const keys = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM api_keys WHERE name = 'bootstrap'`);
      await client.end();
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows.every((r) => r.n === '1')).toBe(true);
      expect(keys.rows[0].n).toBe('1');
    } finally {
      await Promise.all(apps.map((a) => a.close()));
      await db.drop();
    }
  });
});
