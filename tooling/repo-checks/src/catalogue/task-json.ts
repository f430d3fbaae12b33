import { AZURE_ONLY, OPTIONS, type OptionType } from '@ias/core';

/**
 * The `inputs` of apps/azure-devops/task/task.json, from the option catalogue. For every input the catalogue
 * names (an option's `azure.input`, or one of AZURE_ONLY), it writes `label`, `defaultValue`, `helpMarkDown`,
 * `aliases` (the Rapid7 task's name) and a pickList's option values; every other field (`type`, `required`,
 * `groupName`, `visibleRule`, `properties`, the options' display texts) stays as task.json has it. An input the
 * catalogue does not know stays as it is; one the catalogue adds is appended to the Advanced group.
 */

interface TaskInput {
  name: string;
  [field: string]: unknown;
}

interface Managed {
  name: string;
  type: OptionType | 'connection';
  label: string | undefined;
  default: string | undefined;
  help: string | undefined;
  official: string | undefined;
  allowed: readonly string[] | undefined;
}

function managedInputs(): Managed[] {
  const fromOptions = OPTIONS.flatMap((option): Managed[] => {
    const azure = option.azure;
    if (azure?.input === undefined) return [];
    return [{ name: azure.input, type: option.type, label: azure.label, default: azure.default, help: azure.help, official: azure.official, allowed: azure.allowed }];
  });
  const own = AZURE_ONLY.map((input): Managed => ({ name: input.name, type: input.type, label: input.label, default: input.default, help: input.help, official: input.official, allowed: undefined }));
  return [...fromOptions, ...own];
}

const TASK_TYPES: Record<OptionType | 'connection', string> = {
  text: 'string',
  url: 'string',
  uuid: 'string',
  choice: 'pickList',
  duration: 'string',
  flag: 'boolean',
  list: 'string',
  path: 'filePath',
  query: 'string',
  connection: 'connectedService:insightAppSecIasCi',
};

/** A pickList option's display text when task.json has none yet: the value, capitalized. */
const display = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1).toLowerCase();

/** Sets a field, keeping its place when present; `undefined` removes it. */
function set(input: TaskInput, field: string, value: unknown): void {
  if (value === undefined) delete input[field];
  else input[field] = value;
}

function update(existing: TaskInput | undefined, managed: Managed): TaskInput {
  const input: TaskInput = existing === undefined ? { name: managed.name, type: TASK_TYPES[managed.type] } : { ...existing };
  if (managed.label === undefined) throw new Error(`catalogue: the task input ${managed.name} has no label`);
  set(input, 'label', managed.label);
  set(input, 'defaultValue', managed.default);
  if (existing === undefined) input.groupName = 'advanced';
  set(input, 'helpMarkDown', managed.help);
  if (managed.allowed !== undefined) {
    const labels = (existing?.options ?? {}) as Record<string, string>;
    set(input, 'options', Object.fromEntries(managed.allowed.map((value) => [value, labels[value] ?? display(value)])));
  }
  set(input, 'aliases', managed.official === undefined ? undefined : [managed.official]);
  return input;
}

/** task.json with its inputs generated. */
export function generateTaskJson(current: string): string {
  const task = JSON.parse(current) as { inputs: TaskInput[] };
  const managed = new Map(managedInputs().map((input) => [input.name, input]));
  const seen = new Set<string>();
  const inputs = task.inputs.map((input) => {
    const entry = managed.get(input.name);
    if (entry === undefined) return input;
    seen.add(input.name);
    return update(input, entry);
  });
  for (const entry of managed.values()) if (!seen.has(entry.name)) inputs.push(update(undefined, entry));
  task.inputs = inputs;
  return `${JSON.stringify(task, null, 2)}\n`;
}
