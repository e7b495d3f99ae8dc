import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // A browser has no native BLAS: the Node reference runs the same WebAssembly kernels as the
    // page (OpenBLAS, where installed, computes matmul in another order and so other last bits).
    env: { LOOM_BLAS: 'off' },
  },
});
