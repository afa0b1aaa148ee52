// The packaged app's entry (package.json "main" -> dist/main/electron/entry.js). It must never import main/devbridge
// (test/unit/electron/entry-imports.test.ts walks the static import graph to prove it).
import { runApp } from './app.js';

runApp().catch((e: unknown) => {
  console.error('Multibank failed to start:', e instanceof Error ? e.message : String(e));
  process.exit(1);
});
