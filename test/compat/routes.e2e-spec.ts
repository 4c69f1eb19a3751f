import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRouteTree, matchReceivers } from '../../src/alerts/route.js';
import { amtoolPath, amtoolRoutesTest, mapPool } from './alertmanager-binaries.js';
import { ROUTING_CASES, generateLabelSets, routeConfigOf } from './routing-cases.js';

const LABEL_SETS_PER_CASE = 120;

describe('Route.match against amtool config routes test', () => {
  let dir: string;
  let amtool: string;

  beforeAll(() => {
    amtool = amtoolPath(); // throws, naming the Debian package, when amtool is missing
    dir = mkdtempSync(join(tmpdir(), 'tocsin-routes-'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(ROUTING_CASES.map((c, i) => [c.name, c, i] as const))('should resolve the same receivers as amtool: %s', async (_name, routingCase, i) => {
    const file = join(dir, `case-${i}.yml`);
    writeFileSync(file, routingCase.yaml);
    const tree = buildRouteTree(routeConfigOf(routingCase));
    const labelSets = generateLabelSets(routingCase, LABEL_SETS_PER_CASE, 1000 + i);

    const expected = await mapPool(labelSets, 4, (labels) => amtoolRoutesTest(amtool, file, labels));
    const mismatches = labelSets
      .map((labels, j) => ({ labels, amtool: expected[j], tocsin: matchReceivers(tree, labels) }))
      .filter((r) => r.amtool.join(',') !== r.tocsin.join(','));

    expect(mismatches).toEqual([]);
    // the generated sets must exercise more than the default receiver, or the test proves little
    expect(new Set(expected.map((r) => r.join(','))).size).toBeGreaterThan(4);
  });
});
