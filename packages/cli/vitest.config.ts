import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The end-to-end tests spawn the built `loom`, which starts its own worker threads.
    globalSetup: ['test/global-setup.ts'],
    // Two files at a time overlap one process's start-up with another's training.
    maxWorkers: 2,
    // Each end-to-end test spawns a few `loom` processes: on a loaded machine that is minutes, not seconds.
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
