#!/usr/bin/env node
// Adds lockfile entries for optional platform packages (e.g. @swc/core-darwin-arm64) that the
// registry mirror of our build machines does not serve: npm then leaves them out of
// package-lock.json, and `npm ci` refuses the lockfile as "not in sync". Each entry only names
// the version and the platform, so npm skips it everywhere it does not apply.
// Run after any change of dependencies:  node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const OSES = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPUS = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'loong64', 'riscv64', 'mips64el'];

let added = 0;
for (const meta of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    const parts = name.split('/').pop().split('-');
    const os = OSES.find((o) => parts.includes(o));
    const cpu = CPUS.find((c) => parts.includes(c));
    if (!os || !cpu) {
      process.stderr.write(`complete-lockfile: cannot tell the platform of ${name}; add it by hand\n`);
      process.exitCode = 1;
      continue;
    }
    const entry = { version, cpu: [cpu], optional: true, os: [os] };
    if (os === 'linux' && parts.some((p) => p.startsWith('musl'))) entry.libc = ['musl'];
    else if (os === 'linux' && parts.some((p) => p.startsWith('gnu'))) entry.libc = ['glibc'];
    if (meta.dev) entry.dev = true;
    lock.packages[key] = entry;
    added++;
  }
}
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`complete-lockfile: ${added} entries added\n`);
