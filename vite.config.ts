import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const backend = 'http://127.0.0.1:8080';

/** The pages that must open offline once the app has been loaded (the status card; its verification page). */
const offlinePages = [/\/src\/web\/pages\/Card\.tsx$/, /\/src\/web\/pages\/Verify\.tsx$/];

/**
 * Pages load lazily, each in its own chunk, so the service worker cannot learn every file /card needs from
 * index.html alone. This writes `offline-assets.json`: the entry chunk and the chunks (with their CSS and
 * assets) of the offline pages, with everything they import. `src/web/public/sw.js` precaches the list.
 */
function offlineAssets(): Plugin {
  return {
    name: 'korus-offline-assets',
    apply: 'build',
    // After Vite's own hooks, which fold chunks that only import CSS into their importers.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const files = new Set<string>();
        const visit = (fileName: string) => {
          const output = bundle[fileName];
          if (!output || files.has(fileName)) return;
          files.add(fileName);
          if (output.type !== 'chunk') return;
          output.imports.forEach(visit);
          output.viteMetadata?.importedCss.forEach((css) => files.add(css));
          output.viteMetadata?.importedAssets.forEach((asset) => files.add(asset));
        };
        for (const output of Object.values(bundle)) {
          if (output.type !== 'chunk') continue;
          const id = output.facadeModuleId ?? '';
          if (output.isEntry || offlinePages.some((page) => page.test(id))) visit(output.fileName);
        }
        const offline = offlinePages.filter(
          (page) =>
            !Object.values(bundle).some((o) => o.type === 'chunk' && page.test(o.facadeModuleId ?? '')),
        );
        if (offline.length) this.error(`offline pages without a chunk of their own: ${offline.join(', ')}`);
        this.emitFile({
          type: 'asset',
          fileName: 'offline-assets.json',
          source: `${JSON.stringify({ assets: [...files].sort().map((f) => `/${f}`) }, null, 2)}\n`,
        });
      },
    },
  };
}

export default defineConfig({
  root,
  plugins: [react(), offlineAssets()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/api': backend, '/healthz': backend, '/readyz': backend, '/.well-known': backend },
  },
});
