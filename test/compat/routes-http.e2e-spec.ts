import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../setup/app.js';
import { amtoolPath, amtoolRoutesTest, mapPool } from './alertmanager-binaries.js';
import { ROUTING_CASES, generateLabelSets } from './routing-cases.js';

const LABEL_SETS_PER_CASE = 60;

describe('POST /api/v1/routes/test against amtool config routes test', () => {
  let dir: string;
  let amtool: string;

  beforeAll(() => {
    amtool = amtoolPath(); // throws, naming the Debian package, when amtool is missing
    dir = mkdtempSync(join(tmpdir(), 'tocsin-routes-http-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(ROUTING_CASES.map((c, i) => [c.name, c, i] as const))('should list the same receivers in the same order as amtool: %s', async (_name, routingCase, i) => {
    const file = join(dir, `case-${i}.yml`);
    writeFileSync(file, routingCase.yaml);
    const labelSets = generateLabelSets(routingCase, LABEL_SETS_PER_CASE, 5000 + i);
    const expected = await mapPool(labelSets, 4, (labels) => amtoolRoutesTest(amtool, file, labels));

    const app = await startTestApp({ configYaml: routingCase.yaml });
    try {
      const got = await mapPool(labelSets, 8, async (labels) => {
        const res = await fetch(`${app.url}/api/v1/routes/test`, {
          method: 'POST',
          headers: { ...app.admin, 'content-type': 'application/json' },
          body: JSON.stringify({ labels }),
        });
        expect(res.status).toBe(200);
        return ((await res.json()) as { receivers: { name: string }[] }).receivers.map((r) => r.name);
      });
      const mismatches = labelSets.map((labels, j) => ({ labels, amtool: expected[j], tocsin: got[j] })).filter((r) => r.amtool.join(',') !== r.tocsin.join(','));
      expect(mismatches).toEqual([]);
      expect(new Set(expected.map((r) => r.join(','))).size).toBeGreaterThan(3);
    } finally {
      await app.close();
    }
  });
});
