import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The portal's sources: index.html and src/. */
export const PORTAL_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the portal into `outDir` (vite, programmatic, no config file): one bundle for any
 * gateway, which it finds at run time (see src/gateway-url.ts).
 */
export async function buildPortal(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: PORTAL_ROOT,
    // Relative asset URLs: the bundle works from any path a static host puts it under.
    base: './',
    logLevel: 'warn',
    // React's automatic runtime through Vite's own transform: no React plugin needed for a build.
    oxc: { jsx: { runtime: 'automatic' } },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      reportCompressedSize: false,
      // React, Apollo Client and graphql-ws in one chunk are ~350 kB: expected for an example.
      chunkSizeWarningLimit: 1024,
    },
  });
}
