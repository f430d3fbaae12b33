import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';

/*
 * The release flow, in one place. Every shipped part has one product version (lockstep): the four adapters and the
 * CLI ship the same core, so a version names one behaviour everywhere, and users read one CHANGELOG.md.
 */

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A semantic version without build metadata. */
const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?$/;

/** Where a version is written, as `path: version` pairs for messages and checks. */
export interface VersionSite {
  path: string;
  version: string;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** The package folders whose version is the product's: every package under `packages/` and `apps/`. */
export function packageFolders(root = ROOT): string[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group))
      .map((name) => join(group, name))
      .filter((dir) => existsSync(join(root, dir, 'package.json'))),
  );
}

/** Every Azure DevOps task manifest (the scan task and any other task of the extension). */
export function taskManifests(root = ROOT): string[] {
  const base = join(root, 'apps', 'azure-devops');
  return readdirSync(base)
    .filter((dir) => existsSync(join(base, dir, 'task.json')) && !['dist', 'node_modules'].includes(dir))
    .map((dir) => join('apps', 'azure-devops', dir, 'task.json'));
}

/** The GitLab component templates, whose `cli-version` input names the CLI version the job runs. */
export function gitlabTemplates(root = ROOT): string[] {
  const dir = join(root, 'apps', 'gitlab', 'templates');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yml')).map((f) => join('apps', 'gitlab', 'templates', f)) : [];
}

const CLI_VERSION_DEFAULT = /(cli-version:\s*\n\s*default:\s*)(\S+)/;

/** Every place a version is written. */
export function versionSites(root = ROOT): VersionSite[] {
  const sites: VersionSite[] = packageFolders(root).map((dir) => ({ path: join(dir, 'package.json'), version: readJson<{ version: string }>(join(root, dir, 'package.json')).version }));
  for (const path of taskManifests(root)) {
    const { Major, Minor, Patch } = readJson<{ version: { Major: number; Minor: number; Patch: number } }>(join(root, path)).version;
    sites.push({ path, version: `${Major}.${Minor}.${Patch}` });
  }
  sites.push({ path: 'apps/azure-devops/vss-extension.json', version: readJson<{ version: string }>(join(root, 'apps/azure-devops/vss-extension.json')).version });
  for (const path of gitlabTemplates(root)) {
    const match = CLI_VERSION_DEFAULT.exec(readFileSync(join(root, path), 'utf8'));
    if (match !== null) sites.push({ path: `${path} (cli-version)`, version: match[2] as string });
  }
  return sites;
}

/** The product version, or an error naming every place that disagrees. */
export function productVersion(root = ROOT): string {
  const sites = versionSites(root);
  const versions = new Set(sites.map((s) => s.version));
  if (versions.size !== 1) {
    throw new Error(`The versions disagree; run the release command to set one: ${sites.map((s) => `${s.path} ${s.version}`).join(', ')}.`);
  }
  return [...versions][0] as string;
}

/**
 * Writes `version` everywhere: package.json files, the Azure DevOps task manifests (numbers; a pre-release tag cannot
 * be expressed there and is refused), the extension manifest, the GitLab component's default CLI version.
 * @throws Error when `version` is not a semantic version the Azure DevOps marketplace accepts.
 */
export function setVersion(version: string, root = ROOT): void {
  const match = SEMVER.exec(version);
  if (match === null || version.includes('-')) throw new Error(`'${version}' is not a release version; give MAJOR.MINOR.PATCH, e.g. 1.4.0 (Azure DevOps tasks take numbers only).`);
  const [major, minor, patch] = match.slice(1, 4).map(Number) as [number, number, number];
  for (const dir of packageFolders(root)) {
    const path = join(root, dir, 'package.json');
    writeJson(path, { ...readJson<object>(path), version });
  }
  for (const path of taskManifests(root)) {
    const task = readJson<Record<string, unknown>>(join(root, path));
    writeJson(join(root, path), { ...task, version: { Major: major, Minor: minor, Patch: patch } });
  }
  const manifest = join(root, 'apps/azure-devops/vss-extension.json');
  writeJson(manifest, { ...readJson<object>(manifest), version });
  for (const path of gitlabTemplates(root)) {
    const text = readFileSync(join(root, path), 'utf8');
    writeFileSync(join(root, path), text.replace(CLI_VERSION_DEFAULT, `$1${version}`));
  }
}

/**
 * Moves the changelog's `## Unreleased` section under a heading for `version`, leaving an empty Unreleased section.
 * @throws Error when there is nothing under Unreleased (a release says what it changes).
 */
export function stampChangelog(version: string, date: string, root = ROOT): void {
  const path = join(root, 'CHANGELOG.md');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('## Unreleased');
  if (start < 0) throw new Error('CHANGELOG.md has no "## Unreleased" section.');
  const bodyStart = text.indexOf('\n', start) + 1;
  const next = text.indexOf('\n## ', bodyStart);
  const body = text.slice(bodyStart, next < 0 ? undefined : next + 1).trim();
  if (body === '') throw new Error('CHANGELOG.md says nothing under "## Unreleased"; describe the changes of this release there first.');
  const rest = next < 0 ? '' : text.slice(next + 1);
  writeFileSync(path, `${text.slice(0, start)}## Unreleased\n\n## ${version} (${date})\n\n${body}\n\n${rest}`.replace(/\n{3,}/g, '\n\n'));
}

function run(command: string, args: string[], cwd = ROOT): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Packs the CLI where it lives (`npm pack` in apps/cli): the bundle is self-contained, so it has no dependencies. */
export function packCli(out: string, root = ROOT): string {
  const name = run('npm', ['pack', '--silent', '--pack-destination', out], join(root, 'apps', 'cli')).trim().split('\n').pop() as string;
  return join(out, name);
}

/**
 * Packs the simulator as `insightappsec-ci-sim`: inside the workspace it is `@ias/simulator` (tests import it by that
 * name), so its published manifest is written into a staging folder with its built files and scenarios.
 */
export function packSimulator(out: string, root = ROOT): string {
  const source = join(root, 'packages', 'simulator');
  const pkg = readJson<{ version: string; description: string; bin: Record<string, string> }>(join(source, 'package.json'));
  if (!existsSync(join(source, 'dist', 'ias-sim.js'))) throw new Error('packages/simulator/dist/ias-sim.js is not built; run npx pnpm@10.34.8 build first.');
  const stage = mkdtempSync(join(tmpdir(), 'ias-sim-pack-'));
  try {
    cpSync(join(source, 'dist'), join(stage, 'dist'), { recursive: true });
    cpSync(join(source, 'scenarios'), join(stage, 'scenarios'), { recursive: true });
    copyFileSync(join(source, 'README.md'), join(stage, 'README.md'));
    copyFileSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
    writeJson(join(stage, 'package.json'), {
      name: 'insightappsec-ci-sim',
      version: pkg.version,
      description: pkg.description,
      keywords: ['insightappsec', 'rapid7', 'dast', 'simulator', 'testing'],
      license: 'MIT',
      repository: { type: 'git', url: 'git+https://github.com/ias-ci/ias-ci.git', directory: 'packages/simulator' },
      type: 'module',
      engines: { node: '>=20.9' },
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
      bin: pkg.bin,
      files: ['dist', 'scenarios', 'README.md', 'LICENSE'],
    });
    const name = run('npm', ['pack', '--silent', '--pack-destination', out], stage).trim().split('\n').pop() as string;
    return join(out, name);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One artifact of a release. */
export interface Artifact {
  file: string;
  what: string;
}

/** Options of {@link collectRelease}. */
export interface CollectOptions {
  out: string;
  root?: string;
  /** Adds the single executables when their build script exists (tooling/sea). @default true */
  executables?: boolean;
}

/**
 * Gathers every artifact of the built tree into `out` with a `SHA256SUMS` file (the `sha256sum -c` format): the
 * `.vsix`, the npm tarballs, the Bamboo bundle, a copy of the GitHub Action's bundle (the action itself ships from the
 * tag), the GitLab component template, and the single executables when they were built.
 * @throws Error naming the first artifact that is missing (nothing is released half-built).
 */
export async function collectRelease(options: CollectOptions): Promise<{ version: string; artifacts: Artifact[] }> {
  const root = options.root ?? ROOT;
  const version = productVersion(root);
  const out = options.out;
  mkdirSync(out, { recursive: true });
  const artifacts: Artifact[] = [];
  const take = (source: string, name: string, what: string): void => {
    if (!existsSync(source)) throw new Error(`${relative(root, source)} is missing; build the release first (npx pnpm@10.34.8 build).`);
    copyFileSync(source, join(out, name));
    artifacts.push({ file: name, what });
  };
  take(join(root, 'apps/azure-devops/dist', `ias-azure-devops-${version}.vsix`), `ias-azure-devops-${version}.vsix`, 'Azure DevOps extension');
  take(join(root, 'apps/bamboo/dist/ias-bamboo.js'), `ias-bamboo-${version}.js`, 'Bamboo task bundle (run with node)');
  take(join(root, 'apps/github-action/dist/index.js'), `insightappsec-github-action-${version}.js`, 'GitHub Action bundle (the action ships from the tag; this copy is for checksums)');
  for (const template of gitlabTemplates(root)) take(join(root, template), `gitlab-${basename(template)}`, 'GitLab CI/CD component template');
  artifacts.push({ file: basename(packCli(out, root)), what: 'npm package of the ias CLI' });
  artifacts.push({ file: basename(packSimulator(out, root)), what: 'npm package of the simulator (ias-sim)' });
  const seaDir = join(root, 'tooling', 'sea', 'out');
  if (options.executables !== false && existsSync(seaDir)) {
    for (const name of readdirSync(seaDir).filter((f) => statSync(join(seaDir, f)).isFile())) take(join(seaDir, name), name, 'single executable');
  }
  const lines: string[] = [];
  for (const artifact of artifacts) lines.push(`${await sha256File(join(out, artifact.file))}  ${artifact.file}`);
  writeFileSync(join(out, 'SHA256SUMS'), `${lines.join('\n')}\n`);
  return { version, artifacts };
}
