import { GITHUB_ONLY, OPTIONS } from '@ias/core';

/**
 * The `inputs:` section of apps/github-action/action.yml, from the option catalogue: every option's input, the
 * action's own inputs (GITHUB_ONLY), then the official action's inputs. Each description states its default: the
 * action applies defaults itself, so a compatibility input is only set when the workflow sets it (no `default:`).
 */

/** The widest line written; longer descriptions are folded (`>`) onto lines of at most this many characters. */
const WIDTH = 118;
const KEY_INDENT = '  ';
const VALUE_INDENT = '    ';
const FOLD_INDENT = '      ';

interface Input {
  name: string;
  description: string;
  required: boolean;
}

/** True when a YAML plain scalar reads back as exactly this text. */
function isPlainSafe(text: string): boolean {
  if (text === '' || text !== text.trim()) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(text)) return false;
  if (/: |:$| #|[\t\n]/.test(text)) return false;
  return !/^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+)$/i.test(text);
}

/** Words onto lines of at most WIDTH characters, each indented for a folded block scalar. */
function fold(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && FOLD_INDENT.length + line.length + 1 + word.length > WIDTH) {
      lines.push(FOLD_INDENT + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(FOLD_INDENT + line);
  return lines;
}

/** `description:` as a plain scalar, a double-quoted one, or a folded block when it does not fit on one line. */
export function descriptionLines(description: string): string[] {
  const text = description.replace(/\s+/g, ' ').trim();
  const prefix = `${VALUE_INDENT}description: `;
  if (isPlainSafe(text) && prefix.length + text.length <= WIDTH) return [prefix + text];
  const quoted = `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (prefix.length + quoted.length <= WIDTH) return [prefix + quoted];
  return [`${prefix.trimEnd()} >`, ...fold(text)];
}

function inputLines(input: Input): string[] {
  return [`${KEY_INDENT}${input.name}:`, ...descriptionLines(input.description), `${VALUE_INDENT}required: ${input.required}`];
}

/** The generated `inputs:` section, from its `inputs:` line to its last line (no trailing newline). */
export function actionInputsSection(): string {
  const own: Input[] = [
    ...OPTIONS.map((option) => ({ name: option.github.input, description: option.github.description, required: option.github.required === true })),
    ...GITHUB_ONLY.map((input) => ({ name: input.name, description: input.help, required: false })),
  ];
  const official: Input[] = OPTIONS.flatMap((option) => {
    const { official: name, officialDescription } = option.github;
    if (name === undefined || name === option.github.input) return [];
    if (officialDescription === undefined) throw new Error(`catalogue: ${option.key} names the official input ${name} but has no officialDescription`);
    return [{ name, description: officialDescription, required: false }];
  });
  return [
    '# Defaults live in the action (one place, shared with the other front ends); each description states its default.',
    'inputs:',
    ...own.flatMap(inputLines),
    `${KEY_INDENT}# The official action's inputs, so a workflow can switch by changing only \`uses:\`.`,
    ...official.flatMap(inputLines),
  ].join('\n');
}

/** action.yml with its inputs section (from the defaults comment to the line before `outputs:`) generated. */
export function generateActionYml(current: string): string {
  const start = current.indexOf('# Defaults live in the action');
  const end = current.indexOf('\noutputs:\n');
  if (start < 0 || end < 0 || end < start) throw new Error('action.yml: the inputs section (from "# Defaults live in the action" to "outputs:") was not found');
  return `${current.slice(0, start)}${actionInputsSection()}\n${current.slice(end)}`;
}
