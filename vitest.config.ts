import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ when it is missing or older than src/: process.test.ts runs dist/main.js.
    globalSetup: ['test/setup/build.ts'],
    setupFiles: ['test/setup/no-network.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
