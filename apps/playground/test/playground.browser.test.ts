import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noGrad, tensor } from '@loom/core';
import { DataParallelTrainer, type EpochInfo, type TrainerState } from '@loom/parallel';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../scripts/server.mjs';
import { DIGITS_FILE, SIDE, trainerOptions } from '../src/config.js';
import { digitsSplit } from '../src/digits.js';
import { findChromium } from './browser.js';

const app = fileURLToPath(new URL('..', import.meta.url));
const dist = join(app, 'dist');
/** Where the test writes what it saw (the screenshot). */
const output = join(app, 'test-output');
const chromium = findChromium();

// A small run, to stay well under two minutes on two busy cores: 512 digits, 1 epoch, 2 workers.
const RUN = { workers: 2, epochs: 1, train: 512, val: 256 };

interface PlaygroundStatus {
  state: string;
  error?: string;
  kernels?: string;
  epochs: EpochInfo[];
  hash?: string;
  prediction?: { input: number[]; logits: number[]; digit: number };
}

/** SHA-256 over each tensor's name and bytes, names sorted (the definition the page's `stateHash` follows). */
function stateHash(state: TrainerState): string {
  const h = createHash('sha256');
  for (const name of Object.keys(state.tensors).sort()) {
    const data = state.tensors[name]!.contiguous().data();
    h.update(name).update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return h.digest('hex');
}

const status = (page: Page): Promise<PlaygroundStatus> =>
  page.evaluate(() => (globalThis as unknown as { loomPlayground: PlaygroundStatus }).loomPlayground);

if (!chromium) {
  console.warn(
    '\n⚠ @loom/playground: the browser test is SKIPPED: no Chromium found (install it: apt-get install -y chromium, or set LOOM_CHROMIUM)\n',
  );
}

describe.skipIf(!chromium)('the playground in headless Chromium', () => {
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} has no build: run pnpm --filter @loom/playground build`);
    ({ server, url } = await serve(dist));
    browser = await puppeteer.launch({ executablePath: chromium!, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage();
    await page.setViewport({ width: 1160, height: 620 });
    page.on('pageerror', (error) => errors.push(String(error)));
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('trains 1 epoch on 2 Web Workers to the same bytes as Node, and predicts a drawn digit as Node does', async () => {
    // Node: the same options, digits and split, on worker threads.
    const { train, validation } = digitsSplit(readFileSync(join(dist, DIGITS_FILE)), RUN.train, RUN.val);
    const node = new DataParallelTrainer(trainerOptions(RUN.workers));
    const nodeEpochs: EpochInfo[] = [];
    await node.fit(train, { epochs: RUN.epochs, validation, onEpoch: (e) => void nodeEpochs.push(e) });
    const nodeHash = stateHash(await node.stateDict());

    // The page: the same run on Web Workers, started from the query string.
    const query = new URLSearchParams({
      workers: String(RUN.workers),
      epochs: String(RUN.epochs),
      train: String(RUN.train),
      val: String(RUN.val),
      auto: '1',
    });
    await page.goto(`${url}?${query}`);
    await page.waitForFunction(
      () => ['done', 'aborted', 'error'].includes((globalThis as unknown as { loomPlayground: PlaygroundStatus }).loomPlayground.state),
      {
        timeout: 150_000,
      },
    );
    const trained = await status(page);
    expect(trained.error).toBeUndefined();
    expect(trained.state).toBe('done');
    expect(trained.kernels).toMatch(/^wasm/);
    expect(trained.epochs).toHaveLength(1);
    expect(trained.epochs[0]!.trainLoss).toBe(nodeEpochs[0]!.trainLoss);
    expect(trained.epochs[0]!.valLoss).toBe(nodeEpochs[0]!.valLoss);
    expect(trained.epochs[0]!.valAccuracy).toBe(nodeEpochs[0]!.valAccuracy);
    expect(trained.hash).toBe(nodeHash);

    // Draw a 7 on the pad with the mouse; the page predicts when the stroke ends.
    const pad = (await page.$('#pad'))!;
    await pad.scrollIntoView();
    const box = (await pad.boundingBox())!;
    const at = (x: number, y: number): [number, number] => [box.x + x * box.width, box.y + y * box.height];
    await page.mouse.move(...at(0.25, 0.2));
    await page.mouse.down();
    for (const [x, y] of [
      [0.5, 0.2],
      [0.75, 0.2],
      [0.62, 0.5],
      [0.5, 0.85],
    ] as const)
      await page.mouse.move(...at(x, y), { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(
      () => (globalThis as unknown as { loomPlayground: PlaygroundStatus }).loomPlayground.prediction !== undefined,
      { timeout: 30_000 },
    );
    const { prediction } = await status(page);
    const input = Float32Array.from(prediction!.input);
    expect(input).toHaveLength(SIDE * SIDE);
    expect(Math.max(...input)).toBeGreaterThan(0.5); // the stroke reached the 28×28 input
    // Node's trained model (bit-identical parameters) on the same 784 pixels gives the same logits.
    const model = await node.model();
    const logits = noGrad(() => Array.from(model.forward(tensor(input, { shape: [1, SIDE * SIDE] })).data() as Float32Array));
    expect(prediction!.logits).toEqual(logits);
    expect(prediction!.digit).toBe(logits.indexOf(Math.max(...logits)));
    await node.close();

    mkdirSync(output, { recursive: true });
    await page.screenshot({ path: join(output, 'playground.png') as `${string}.png` });
    expect(errors).toEqual([]);
  });
});
