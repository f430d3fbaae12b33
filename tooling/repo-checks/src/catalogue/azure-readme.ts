/**
 * The Azure DevOps README's "Classic editor fields" tables beside task.json (itself generated from the option
 * catalogue): every input is listed once, under its group (the Advanced table or the first one), with the label the
 * editor shows and the Rapid7 alias it accepts. The Meaning column is the README's own prose and is not compared.
 */
export interface TaskInput {
  name: string;
  label?: string;
  groupName?: string;
  aliases?: string[];
}

interface Row {
  label: string;
  name: string;
  alias: string | undefined;
  advanced: boolean;
}

const SECTION = '## Classic editor fields';

/** The rows of the tables in the section, with whether each is in the Advanced table. */
export function readmeRows(readme: string): Row[] {
  const start = readme.indexOf(SECTION);
  if (start < 0) return [];
  const end = readme.indexOf('\n## ', start + SECTION.length);
  const lines = readme.slice(start, end < 0 ? undefined : end).split('\n');
  const rows: Row[] = [];
  let advanced = false;
  for (const line of lines) {
    if (line.startsWith('**Advanced**')) advanced = true;
    const cells = line.split('|').map((cell) => cell.trim());
    const match = /^`([A-Za-z]+)`(?: \(`([A-Za-z]+)`\))?$/.exec(cells[2] ?? '');
    if (!line.startsWith('|') || match === null) continue;
    rows.push({ label: (cells[1] ?? '').replace(/^\*\*(.*)\*\*$/, '$1'), name: match[1] ?? '', alias: match[2], advanced });
  }
  return rows;
}

/** What differs between the README's tables and task.json's inputs; empty when they agree. */
export function azureReadmeProblems(readme: string, inputs: readonly TaskInput[]): string[] {
  const rows = readmeRows(readme);
  const problems: string[] = [];
  for (const input of inputs) {
    const listed = rows.filter((row) => row.name === input.name);
    if (listed.length !== 1) {
      problems.push(`input ${input.name} is listed ${listed.length} times (once expected)`);
      continue;
    }
    const row = listed[0]!;
    if (row.label !== input.label) problems.push(`input ${input.name} is labelled '${row.label}', task.json says '${input.label ?? ''}'`);
    if (row.alias !== input.aliases?.[0]) problems.push(`input ${input.name} shows the alias ${row.alias ?? '(none)'}, task.json has ${input.aliases?.[0] ?? '(none)'}`);
    if (row.advanced !== (input.groupName === 'advanced')) problems.push(`input ${input.name} is in the wrong table (task.json group: ${input.groupName ?? 'none'})`);
  }
  for (const row of rows) if (!inputs.some((input) => input.name === row.name)) problems.push(`the README lists ${row.name}, which task.json does not have`);
  return problems;
}
