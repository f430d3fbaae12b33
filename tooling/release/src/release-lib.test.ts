import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageFolders, productVersion, ROOT, setVersion, stampChangelog, taskManifests, versionSites } from './release-lib';

/** A copy of the files that carry versions, so the tests change nothing in the repository. */
function copyOfVersionSites(): string {
  const root = mkdtempSync(join(tmpdir(), 'ias-release-'));
  const files = [...packageFolders().map((d) => join(d, 'package.json')), ...taskManifests(), 'apps/azure-devops/vss-extension.json', 'apps/gitlab/templates/insightappsec-scan.yml', 'CHANGELOG.md'];
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(join(ROOT, file), join(root, file));
  }
  return root;
}

describe('one product version', () => {
  it('is the same in every package.json, task.json, vss-extension.json and the GitLab component', () => {
    const sites = versionSites();
    expect(sites.map((s) => s.path)).toEqual(expect.arrayContaining(['apps/cli/package.json', 'apps/github-action/package.json', 'apps/azure-devops/task/task.json', 'apps/azure-devops/vss-extension.json']));
    expect(new Set(sites.map((s) => s.version)).size).toBe(1);
    expect(productVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('is written everywhere by setVersion, task manifests as numbers', () => {
    const root = copyOfVersionSites();
    setVersion('2.10.3', root);
    expect(productVersion(root)).toBe('2.10.3');
    const task = JSON.parse(readFileSync(join(root, 'apps/azure-devops/task/task.json'), 'utf8')) as { version: unknown };
    expect(task.version).toEqual({ Major: 2, Minor: 10, Patch: 3 });
    expect(readFileSync(join(root, 'apps/gitlab/templates/insightappsec-scan.yml'), 'utf8')).toMatch(/cli-version:\n\s+default: 2\.10\.3/);
  });

  it('names every site that disagrees', () => {
    const root = copyOfVersionSites();
    const path = join(root, 'apps/azure-devops/vss-extension.json');
    writeFileSync(path, JSON.stringify({ ...(JSON.parse(readFileSync(path, 'utf8')) as object), version: '9.9.9' }));
    expect(() => productVersion(root)).toThrow(/disagree.*vss-extension\.json 9\.9\.9/);
  });

  it.each(['1.2', 'v1.2.3', '1.2.3-beta.1', ''])('refuses %j as a release version', (version) => {
    expect(() => setVersion(version, copyOfVersionSites())).toThrow(/not a release version/);
  });
});

describe('the changelog', () => {
  it('moves the Unreleased notes under the new version', () => {
    const root = copyOfVersionSites();
    writeFileSync(join(root, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n- Added a thing.\n\n## 0.1.0 (2026-11-01)\n\n- First.\n');
    stampChangelog('0.2.0', '2026-12-02', root);
    expect(readFileSync(join(root, 'CHANGELOG.md'), 'utf8')).toBe('# Changelog\n\n## Unreleased\n\n## 0.2.0 (2026-12-02)\n\n- Added a thing.\n\n## 0.1.0 (2026-11-01)\n\n- First.\n');
  });

  it('refuses a release that says nothing', () => {
    const root = copyOfVersionSites();
    writeFileSync(join(root, 'CHANGELOG.md'), '# Changelog\n\n## Unreleased\n\n## 0.1.0 (2026-11-01)\n\n- First.\n');
    expect(() => stampChangelog('0.2.0', '2026-12-02', root)).toThrow(/says nothing/);
  });
});
