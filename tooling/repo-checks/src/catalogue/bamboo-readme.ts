import { BAMBOO_ONLY, OPTIONS } from '@ias/core';

/**
 * The Bamboo README's table of the official task's fields beside the option catalogue: each row that names a
 * variable (`ias.*`) must be the catalogue's variable for that official field, with the environment variable a
 * Script task sees and the `ias-bamboo` flag. The values column is the README's own prose and is not compared.
 */
interface Setting {
  variable: string;
  flag: string;
  field?: string | undefined;
}

const SECTION = '### From the official task\'s fields to variables';

function catalogueSettings(): Setting[] {
  const core = OPTIONS.flatMap((option) => (option.bamboo === undefined ? [] : [{ variable: option.bamboo.variable, flag: option.bamboo.flag, field: option.bamboo.field }]));
  const own = BAMBOO_ONLY.map((option) => ({ variable: option.name, flag: option.flag ?? '', field: option.field }));
  return [...core, ...own];
}

/** What differs between the README's official-field table and the catalogue; empty when they agree. */
export function bambooReadmeProblems(readme: string, settings: readonly Setting[] = catalogueSettings()): string[] {
  const start = readme.indexOf(SECTION);
  if (start < 0) return [`the README has no section '${SECTION}'`];
  const section = readme.slice(start, readme.indexOf('\n#', start + SECTION.length));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const variable = /^`(ias\.[A-Za-z]+)`/.exec(cells[2] ?? '')?.[1];
    if (!line.startsWith('|') || variable === undefined || variable.startsWith('ias.apiKey')) continue;
    const field = cells[1] ?? '';
    seen.add(field);
    const setting = settings.find((s) => s.variable === variable);
    if (setting === undefined) {
      problems.push(`${variable} is not a Bamboo variable of the option catalogue`);
      continue;
    }
    if (setting.field !== field) problems.push(`${variable} is shown for the field '${field}', the catalogue says '${setting.field ?? '(none)'}'`);
    const env = `bamboo_${variable.replace(/\./g, '_')}`;
    if (cells[3] !== `\`${env}\``) problems.push(`${variable} shows the environment variable ${cells[3] ?? ''}, expected \`${env}\``);
    if (cells[4] !== `\`--${setting.flag}\``) problems.push(`${variable} shows the flag ${cells[4] ?? ''}, the catalogue's is \`--${setting.flag}\``);
  }
  for (const setting of settings) if (setting.field !== undefined && !seen.has(setting.field)) problems.push(`the official field '${setting.field}' (${setting.variable}) is missing`);
  return problems;
}
