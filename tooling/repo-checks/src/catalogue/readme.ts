import { BAMBOO_ONLY, BAMBOO_ORDER, GITHUB_ONLY, OPTIONS, type ConfigKey } from '@ias/core';

/**
 * The option tables of the READMEs, between `<!-- options:NAME:start -->` and `<!-- options:NAME:end -->`:
 * - `cli` (README.md): every option with a CLI flag, its `IAS_*` variable, default and meaning;
 * - `github` (apps/github-action/README.md): every input of the action, its default and meaning;
 * - `bamboo-extra` (apps/bamboo/README.md): the Bamboo variables beyond the official task form's fields, in
 *   BAMBOO_ORDER, with their flag, meaning and default.
 * A row of the current table that names nothing of the catalogue (a host's own flag, such as the CLI's `--json`) is
 * kept, after the generated rows.
 */

interface Table {
  header: string[];
  rows: () => string[][];
}

/** A default as the tables show it: none, `none` as a word, or the value as code. */
const shown = (value: string | undefined): string => (value === undefined ? '' : value === 'none' ? 'none' : `\`${value}\``);

const TABLES: Record<string, Table> = {
  cli: {
    header: ['option', 'variable', 'default', 'meaning'],
    rows: () =>
      OPTIONS.flatMap(({ cli, default: core, help }) =>
        cli.flag === undefined ? [] : [[`\`${cli.flag}\``, `\`${cli.env}\``, cli.shownDefault ?? shown(cli.default ?? core), cli.doc ?? help]],
      ),
  },
  github: {
    header: ['input', 'default', ''],
    rows: () => [
      ...OPTIONS.map(({ github, default: core, help }) => [
        `\`${github.input}\``,
        github.shownDefault ?? (github.required === true ? '(required)' : shown(github.default ?? core)),
        github.doc ?? help,
      ]),
      ...GITHUB_ONLY.map((input) => [`\`${input.name}\``, input.shownDefault ?? shown(input.default), input.doc ?? input.help]),
    ],
  },
  'bamboo-extra': {
    header: ['Bamboo variable', 'Flag', 'Meaning', 'Default'],
    rows: bambooExtraRows,
  },
};

/** The Bamboo settings that have no field on the official task form (and that `--help` lists), in BAMBOO_ORDER. */
function bambooExtraRows(): string[][] {
  const byKey = new Map(OPTIONS.map((option) => [option.key as string, option]));
  const own = new Map(BAMBOO_ONLY.map((setting) => [setting.name, setting]));
  return BAMBOO_ORDER.flatMap((entry: ConfigKey | string) => {
    const option = byKey.get(entry);
    const setting = option?.bamboo ?? own.get(entry);
    if (setting === undefined) throw new Error(`catalogue: BAMBOO_ORDER names ${entry}, which is neither an option with a Bamboo variable nor in BAMBOO_ONLY`);
    if (setting.field !== undefined || ('listed' in setting && setting.listed === false)) return [];
    const variable = 'variable' in setting ? setting.variable : setting.name;
    const help = setting.help ?? option?.help ?? '';
    return [[`\`${variable}\``, `\`--${setting.flag ?? ''}\``, setting.doc ?? help, setting.docDefault ?? (setting.shownDefault === undefined ? '' : `\`${setting.shownDefault}\``)]];
  });
}

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`.replace(/ {2}\|/g, ' |');

const cellsOf = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());

function tableText(name: string, table: Table, current: string): string {
  const generated = table.rows();
  for (const cells of generated) if (cells.some((cell) => cell.includes('|'))) throw new Error(`catalogue: a cell of the ${name} table holds "|": ${cells.join(' / ')}`);
  const names = new Set(generated.map((cells) => cells[0]));
  const kept = current
    .split('\n')
    .slice(2)
    .filter((line) => line.startsWith('|') && !names.has(cellsOf(line)[0]));
  return [row(table.header), `|${table.header.map(() => '---').join('|')}|`, ...generated.map(row), ...kept].join('\n');
}

/** A README with every marked option table generated. */
export function generateReadme(current: string): string {
  return current.replace(/(<!-- options:([a-z-]+):start -->\n)([\s\S]*?)\n(<!-- options:\2:end -->)/g, (_whole, start: string, name: string, body: string, end: string) => {
    const table = TABLES[name];
    if (table === undefined) throw new Error(`README: no option table named "${name}" (known: ${Object.keys(TABLES).join(', ')})`);
    return `${start}${tableText(name, table, body)}\n${end}`;
  });
}
