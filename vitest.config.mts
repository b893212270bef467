import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The `@/…` paths of tsconfig.json, for component tests.
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['lib/**/*.test.ts', 'test/**/*.test.ts', 'components/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
