import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { promisify } from 'node:util';

/**
 * The real Alertmanager, for differential tests. Debian package `prometheus-alertmanager`
 * installs both binaries: `/usr/bin/prometheus-alertmanager` and `/usr/bin/amtool`.
 * A missing binary fails the test with the install command; it never skips.
 */
export const ALERTMANAGER_DEBIAN_PACKAGE = 'prometheus-alertmanager';

const execFileAsync = promisify(execFile);

function findBinary(names: readonly string[]): string {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin']);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = `${dir}/${name}`;
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // keep looking
      }
    }
  }
  throw new Error(
    `${names.join(' / ')} not found: install the Debian package "${ALERTMANAGER_DEBIAN_PACKAGE}" ` +
      `(apt-get install -y ${ALERTMANAGER_DEBIAN_PACKAGE}) to run the Alertmanager differential tests`,
  );
}

export function amtoolPath(): string {
  return findBinary(['amtool']);
}

export function alertmanagerPath(): string {
  return findBinary(['prometheus-alertmanager', 'alertmanager']);
}

/** `name="value"` with OpenMetrics escapes, which amtool's matcher parser reads back exactly. */
export function amtoolLabelArg(name: string, value: string): string {
  return `${name}="${value.replace(/[\\\n"]/g, (c) => (c === '\n' ? '\\n' : '\\' + c))}"`;
}

/**
 * Receivers amtool resolves for a label set. amtool prints them on one stdout line joined by
 * `,` in routing order, duplicates kept (e.g. `pager,web`); its "--config.file flag overrides"
 * warning goes to stderr.
 */
export async function amtoolRoutesTest(amtool: string, configFile: string, labels: Record<string, string>): Promise<string[]> {
  const args = ['config', 'routes', 'test', `--config.file=${configFile}`, ...Object.entries(labels).map(([n, v]) => amtoolLabelArg(n, v))];
  const { stdout } = await execFileAsync(amtool, args, { timeout: 20_000 });
  const line = stdout.split('\n')[0].trim();
  return line === '' ? [] : line.split(',');
}

/** Runs `work` over `items` with at most `concurrency` in flight; results keep the input order. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
