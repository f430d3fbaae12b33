// Records the SHA-256 of the committed bundle in dist.sha256 (run by `pnpm run dist`, after the build).
// test/dist.test.ts rebuilds the bundle and compares it with this record: turbo's `build` rewrites dist/ before the
// tests run, so the record is what still speaks for the committed bundle in CI.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const hash = createHash('sha256').update(readFileSync(`${root}dist/index.js`)).digest('hex');
writeFileSync(`${root}dist.sha256`, `${hash}  dist/index.js\n`);
console.log(`dist/index.js ${hash}`);
