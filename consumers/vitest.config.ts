import { defineConfig } from 'vitest/config';

// One project is packed, installed and run from end to end: minutes, not seconds, on a cold npm cache.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 300_000 },
});
