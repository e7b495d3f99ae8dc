import { existsSync } from 'node:fs';

/**
 * The Chromium (or Chrome) the browser test drives: LOOM_CHROMIUM if set, else the first system
 * browser found (Debian's `chromium` package: `apt-get install -y chromium`), else null.
 */
export function findChromium(): string | null {
  const named = process.env.LOOM_CHROMIUM;
  if (named) {
    if (!existsSync(named)) throw new Error(`LOOM_CHROMIUM=${named} does not exist`);
    return named;
  }
  const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((path) => existsSync(path)) ?? null;
}
