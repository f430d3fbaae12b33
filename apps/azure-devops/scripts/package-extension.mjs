// Assembles dist/extension (manifest, task folder with the bundle and task-lib's lib.json, icon, README) and
// builds the .vsix with tfx-cli, offline. The task's and the extension's versions follow package.json.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const [major, minor, patch] = pkg.version.split(/[.-]/).map(Number);
const TASK = 'InsightAppSecScan';
const out = join(root, 'dist', 'extension');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, TASK), { recursive: true });
mkdirSync(join(out, 'images'), { recursive: true });

const manifest = JSON.parse(readFileSync(join(root, 'vss-extension.json'), 'utf8'));
manifest.version = pkg.version;
writeFileSync(join(out, 'vss-extension.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const task = JSON.parse(readFileSync(join(root, 'task', 'task.json'), 'utf8'));
task.version = { Major: major, Minor: minor, Patch: patch };
writeFileSync(join(out, TASK, 'task.json'), `${JSON.stringify(task, null, 2)}\n`);
copyFileSync(join(root, 'dist', 'bundle', 'index.js'), join(out, TASK, 'index.js'));
copyFileSync(join(dirname(require.resolve('azure-pipelines-task-lib/package.json')), 'lib.json'), join(out, TASK, 'lib.json'));
// The bundle is CommonJS; this keeps Node from reading it as ESM under a `"type": "module"` parent folder.
writeFileSync(join(out, TASK, 'package.json'), `${JSON.stringify({ name: 'insightappsec-scan-task', version: pkg.version, private: true, type: 'commonjs' }, null, 2)}\n`);
writeFileSync(join(root, 'dist', 'bundle', 'package.json'), '{ "type": "commonjs" }\n');
// The API discovery task: its own folder, the same task library.
const DISCOVER_TASK = 'InsightAppSecApiDiscovery';
mkdirSync(join(out, DISCOVER_TASK), { recursive: true });
const discoverTask = JSON.parse(readFileSync(join(root, 'discover-task', 'task.json'), 'utf8'));
discoverTask.version = { Major: major, Minor: minor, Patch: patch };
writeFileSync(join(out, DISCOVER_TASK, 'task.json'), `${JSON.stringify(discoverTask, null, 2)}\n`);
copyFileSync(join(root, 'dist', 'bundle', 'discover.js'), join(out, DISCOVER_TASK, 'index.js'));
copyFileSync(join(dirname(require.resolve('azure-pipelines-task-lib/package.json')), 'lib.json'), join(out, DISCOVER_TASK, 'lib.json'));
writeFileSync(join(out, DISCOVER_TASK, 'package.json'), `${JSON.stringify({ name: 'insightappsec-api-discovery-task', version: pkg.version, private: true, type: 'commonjs' }, null, 2)}\n`);
copyFileSync(join(root, 'README.md'), join(out, 'README.md'));
writeFileSync(join(out, 'images', 'icon.png'), drawIcon(128));

const tfx = join(dirname(require.resolve('tfx-cli/package.json')), '_build', 'tfx-cli.js');
const vsix = join(root, 'dist', `ias-azure-devops-${pkg.version}.vsix`);
rmSync(vsix, { force: true });
execFileSync(process.execPath, [tfx, 'extension', 'create', '--root', out, '--manifest-globs', 'vss-extension.json', '--output-path', vsix, '--no-prompt', '--no-color'], {
  stdio: 'inherit',
  env: { ...process.env, TFX_TRACE: '' },
});
console.log(`Built ${vsix}`);

/** A shield on a teal square, drawn pixel by pixel and encoded as an RGBA PNG. */
function drawIcon(size) {
  const rows = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x += 1) {
      const u = (x + 0.5) / size - 0.5;
      const v = (y + 0.5) / size;
      const halfWidth = v < 0.6 ? 0.32 : 0.32 * Math.max(0, (0.92 - v) / 0.32);
      const inShield = v > 0.12 && v < 0.92 && Math.abs(u) < halfWidth;
      const inMark = inShield && Math.abs(u + 0.05 - (v - 0.55) * -0.6) < 0.05 && v > 0.45 && v < 0.68 || (inShield && Math.abs(u - 0.06 - (0.7 - v) * 0.55) < 0.05 && v > 0.35 && v < 0.68 && u > -0.04);
      const [r, g, b] = inMark ? [255, 255, 255] : inShield ? [232, 96, 28] : [0, 98, 122];
      row.set([r, g, b, 255], 1 + x * 4);
    }
    rows.push(row);
  }
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(data) {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
