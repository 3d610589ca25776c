import { existsSync } from 'node:fs';
import { execa } from 'execa';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Debian's `chromium`, installed on first use (tests run as root here and in CI). Serialised with a
 * lock file so that parallel test runs do not fight over apt.
 */
export async function ensureChromium(): Promise<string> {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0) {
    throw new Error(`${CHROMIUM} is missing and this is not root: install it with \`apt-get install -y chromium\``);
  }
  await execa('flock', ['/tmp/godmode-apt.lock', 'sh', '-c', `test -x ${CHROMIUM} || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)`], {
    stdio: 'inherit',
    timeout: 15 * 60_000,
  });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get install chromium finished but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}
