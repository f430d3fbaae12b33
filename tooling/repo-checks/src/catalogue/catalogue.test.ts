import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descriptionLines } from './action-yml';
import { azureReadmeProblems, readmeRows, type TaskInput } from './azure-readme';
import { bambooReadmeProblems } from './bamboo-readme';
import { fileStates, FIX_COMMAND, GENERATED_FILES, ROOT } from './files';
import { generateReadme } from './readme';
import { generateTaskJson } from './task-json';

describe('the files that follow the option catalogue (packages/core/src/config/options.ts)', () => {
  for (const state of fileStates()) {
    it(`${state.path} is generated from it`, () => {
      expect(state.current, `${state.path} is out of date with the option catalogue. Run: ${FIX_COMMAND}`).toBe(state.generated);
    });
  }

  it('generating twice changes nothing', () => {
    for (const state of fileStates()) {
      const file = GENERATED_FILES.find((f) => f.path === state.path)!;
      expect(file.generate(state.generated), state.path).toBe(state.generated);
    }
  });
});

describe('action.yml descriptions', () => {
  it('are plain when YAML reads them back unchanged, quoted when they hold ": ", folded when too long', () => {
    expect(descriptionLines('Timeout of each API request.')).toEqual(['    description: Timeout of each API request.']);
    expect(descriptionLines('Timeout: 60s.')).toEqual(['    description: "Timeout: 60s."']);
    const long = descriptionLines(`${'word '.repeat(40)}end`);
    expect(long[0]).toBe('    description: >');
    expect(long.slice(1).every((line) => line.startsWith('      ') && line.length <= 118)).toBe(true);
    expect(long.slice(1).map((line) => line.trim()).join(' ')).toBe(`${'word '.repeat(40)}end`);
  });
});

describe('task.json inputs', () => {
  it('keep the fields the catalogue does not hold, and the inputs it does not know', () => {
    const current = JSON.stringify({
      inputs: [
        { name: 'scanId', type: 'string', label: 'old', defaultValue: 'x', groupName: 'scan', visibleRule: 'a = b', helpMarkDown: 'old' },
        { name: 'somethingElse', type: 'string', label: 'kept' },
      ],
    });
    const { inputs } = JSON.parse(generateTaskJson(current)) as { inputs: Record<string, unknown>[] };
    expect(inputs[0]).toMatchObject({ name: 'scanId', type: 'string', label: 'Attach to scan id', defaultValue: '', groupName: 'scan', visibleRule: 'a = b' });
    expect(inputs[1]).toEqual({ name: 'somethingElse', type: 'string', label: 'kept' });
    // Every other input of the catalogue is added, in the Advanced group.
    expect(inputs.find((input) => input.name === 'failOnSeverity')).toMatchObject({ type: 'pickList', groupName: 'advanced', defaultValue: 'none', options: { none: 'None', CRITICAL: 'Critical' } });
    expect(inputs.find((input) => input.name === 'iasConnection')).toMatchObject({ type: 'connectedService:insightAppSecIasCi', aliases: ['apiConnection'] });
  });
});

describe('README option tables', () => {
  it('are rewritten between their markers, keeping the rows of flags the catalogue does not hold', () => {
    const current = ['intro', '<!-- options:cli:start -->', '| old | header |', '|---|---|', '| `--app` | stale |', '| `--json` | | | own flag |', '<!-- options:cli:end -->', 'outro'].join('\n');
    const lines = generateReadme(current).split('\n');
    expect(lines.slice(0, 4)).toEqual(['intro', '<!-- options:cli:start -->', '| option | variable | default | meaning |', '|---|---|---|---|']);
    expect(lines.filter((line) => line.startsWith('| `--app` |'))).toHaveLength(1);
    expect(lines.find((line) => line.startsWith('| `--app` |'))).toContain('`IAS_APP`');
    expect(lines.slice(-3)).toEqual(['| `--json` | | | own flag |', '<!-- options:cli:end -->', 'outro']);
  });

  it('name an unknown table instead of leaving it', () => {
    expect(() => generateReadme('<!-- options:nope:start -->\n| a |\n<!-- options:nope:end -->')).toThrow(/no option table named "nope"/);
  });
});

describe('the Azure DevOps README', () => {
  const taskJson = JSON.parse(readFileSync(join(ROOT, 'apps/azure-devops/task/task.json'), 'utf8')) as { inputs: TaskInput[] };
  const readme = readFileSync(join(ROOT, 'apps/azure-devops/README.md'), 'utf8');

  it('lists every task.json input once, with its label, alias and group (task.json follows the catalogue)', () => {
    expect(readmeRows(readme).length).toBe(taskJson.inputs.length);
    expect(azureReadmeProblems(readme, taskJson.inputs)).toEqual([]);
  });

  it('names each difference it finds', () => {
    const drifted = readme.replace('| One artifact per report | `artifactPerReport` |', '| Upload artifact per report? | `artifactPerReport` |').replace('`scanConfiguration` (`scanConfig`)', '`scanConfiguration`');
    expect(azureReadmeProblems(drifted, [...taskJson.inputs, { name: 'newInput', label: 'New', groupName: 'advanced' }])).toEqual([
      "input scanConfiguration shows the alias (none), task.json has scanConfig",
      "input artifactPerReport is labelled 'Upload artifact per report?', task.json says 'One artifact per report'",
      'input newInput is listed 0 times (once expected)',
    ]);
  });
});

describe('the Bamboo README', () => {
  const readme = readFileSync(join(ROOT, 'apps/bamboo/README.md'), 'utf8');

  it("maps every official field to the catalogue's variable, environment variable and flag", () => {
    expect(bambooReadmeProblems(readme)).toEqual([]);
  });

  it('names each difference it finds', () => {
    const drifted = readme.replace('| App Name | `ias.app` | `bamboo_ias_app` | `--app` |', '| App Name | `ias.app` | `bamboo_ias_app` | `--application` |');
    expect(bambooReadmeProblems(drifted, [{ variable: 'ias.app', flag: 'app', field: 'App Name' }, { variable: 'ias.new', flag: 'new', field: 'New Field' }])).toEqual(
      expect.arrayContaining(["ias.app shows the flag `--application`, the catalogue's is `--app`", "the official field 'New Field' (ias.new) is missing"]),
    );
  });
});
