// Regenerates docs/playground.png (the root README's picture): trains on the page in headless
// Chromium (3 epochs of 9,000 digits on 2 workers, or as PLAYGROUND_QUERY says), draws a 7 and
// saves the page. Needs the build and a Chromium (LOOM_CHROMIUM, or /usr/bin/chromium).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { serve } from './server.mjs';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const { server, url } = await serve(join(app, 'dist'));
const browser = await puppeteer.launch({
  executablePath: process.env.LOOM_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1160, height: 600 });
  await page.goto(`${url}?${process.env.PLAYGROUND_QUERY ?? 'workers=2&epochs=3&train=9000&val=1000&auto=1'}`);
  await page.waitForFunction(() => ['done', 'aborted', 'error'].includes(globalThis.loomPlayground.state), { timeout: 600_000 });
  const pad = await page.$('#pad');
  const box = await pad.boundingBox();
  const at = (x, y) => [box.x + x * box.width, box.y + y * box.height];
  await page.mouse.move(...at(0.25, 0.2));
  await page.mouse.down();
  for (const [x, y] of [
    [0.5, 0.2],
    [0.75, 0.2],
    [0.62, 0.5],
    [0.5, 0.85],
  ])
    await page.mouse.move(...at(x, y), { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => globalThis.loomPlayground.prediction !== undefined, { timeout: 30_000 });
  const { epochs, prediction, kernels } = await page.evaluate(() => globalThis.loomPlayground);
  console.log(
    kernels,
    epochs.map((e) => `epoch ${e.epoch + 1}: ${Math.round(e.samplesPerSecond)} samples/s, val acc ${e.valAccuracy}`).join('; '),
    `drawn: ${prediction.digit}`,
  );
  await page.screenshot({ path: join(app, '..', '..', 'docs', 'playground.png') });
} finally {
  await browser.close();
  server.close();
}
