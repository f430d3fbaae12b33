// `test` needs the bundle and the .vsix: builds them when they are missing or older than their sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, 'dist', `ias-azure-devops-${version}.vsix`);
const newest = (path) => {
  const info = statSync(path);
  return info.isDirectory() ? Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name)))) : info.mtimeMs;
};
const sources = ['src', 'task', 'scripts', 'vss-extension.json', 'README.md', 'package.json', 'tsup.config.ts', '../../packages/core/src', '../../packages/host-node/src'];
const built = existsSync(vsix) ? statSync(vsix).mtimeMs : 0;
if (sources.some((s) => existsSync(join(root, s)) && newest(join(root, s)) > built)) {
  execFileSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}
