import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import prettier from 'eslint-config-prettier/flat';

/**
 * The layering, outermost last: protocol ← chat ← store ← server ← server.ts, with client
 * beside store and server (it speaks the protocol and shares the chat rules, and holds no
 * server code). Nothing in lib/ knows React, Next.js, routes or components; components reach
 * the server only through the protocol and lib/client.
 */
const LAYERS = {
  protocol: ['chat', 'store', 'server', 'client'],
  chat: ['store', 'server', 'client'],
  store: ['server', 'client'],
  server: ['client'],
  client: ['store', 'server'],
};
const UI = [
  'react',
  'react-dom',
  'react/*',
  'react-dom/*',
  'next',
  'next/*',
  '@/components/*',
  '@/app/*',
];
const layerPaths = (layers) =>
  layers.flatMap((layer) => [`../${layer}/*`, `../../${layer}/*`, `@/lib/${layer}/*`]);
const restrictImports = (files, forbidden, message) => ({
  files,
  ignores: [
    '**/*.test.ts',
    '**/*.test.tsx',
    'lib/store/store-contract.ts',
    'lib/store/store-changes-contract.ts',
    'lib/store/store-search-contract.ts',
  ],
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }] },
});

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  prettier,
  {
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Render user text as text.',
        },
      ],
    },
  },
  ...Object.entries(LAYERS).map(([layer, forbidden]) =>
    restrictImports(
      [`lib/${layer}/**/*.ts`],
      [...layerPaths(forbidden), ...UI],
      `lib/${layer} may not import ${forbidden.map((name) => `lib/${name}`).join(', ')}, React, Next.js or components (see the layering in eslint.config.mjs).`,
    ),
  ),
  restrictImports(
    ['components/**/*.{ts,tsx}', 'app/**/*.{ts,tsx}'],
    ['@/lib/server/*', '@/lib/store/*', '**/lib/server/*', '**/lib/store/*'],
    'The browser reaches the server only through lib/protocol and lib/client.',
  ),
  globalIgnores([
    '.next/**',
    'dist/**',
    'node_modules/**',
    'next-env.d.ts',
    'test-results/**',
    'playwright-report/**',
  ]),
]);
