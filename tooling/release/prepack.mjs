// Runs as `prepack` of a published package (npm pack / npm publish in its folder): the licence lives once at the
// repository root and is copied in, and the bundle must have been built, or the tarball would be empty.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import process from 'node:process';
import { join } from 'node:path';

const here = process.cwd();
const root = join(import.meta.dirname, '..', '..');
const { name, bin = {} } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
for (const file of Object.values(bin)) {
  if (!existsSync(join(here, file))) {
    process.stderr.write(`${name}: ${file} is not built; run npx pnpm@10.34.8 build first.\n`);
    process.exit(1);
  }
}
copyFileSync(join(root, 'LICENSE'), join(here, 'LICENSE'));
