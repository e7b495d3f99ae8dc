// `pnpm playground` (after the build): serves dist/ on 127.0.0.1 until interrupted. PORT picks the port (default 5178).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`${dist} has no build: run pnpm --filter @loom/playground build (pnpm playground does both)`);
  process.exit(1);
}
const { url } = await serve(dist, Number(process.env.PORT ?? 5178));
console.log(`Loom playground: ${url} (Ctrl-C to stop)`);
