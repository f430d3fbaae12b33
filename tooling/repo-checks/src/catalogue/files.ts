import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateActionYml } from './action-yml';
import { generateReadme } from './readme';
import { generateTaskJson } from './task-json';

/** The repository's root (this file is tooling/repo-checks/src/catalogue/files.ts). */
export const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

/** The command that rewrites every generated file. */
export const FIX_COMMAND = 'npx --yes pnpm@10.34.8 run catalogue';

/** A file that follows the option catalogue (packages/core/src/config/options.ts), and how it is made from its current text. */
export interface GeneratedFile {
  /** Relative to the repository root, with `/`. */
  path: string;
  generate: (current: string) => string;
}

export const GENERATED_FILES: readonly GeneratedFile[] = [
  { path: 'apps/github-action/action.yml', generate: generateActionYml },
  { path: 'apps/azure-devops/task/task.json', generate: generateTaskJson },
  { path: 'README.md', generate: generateReadme },
  { path: 'apps/github-action/README.md', generate: generateReadme },
  { path: 'apps/bamboo/README.md', generate: generateReadme },
];

export interface FileState {
  path: string;
  current: string;
  generated: string;
}

/** Every generated file's committed text beside what the catalogue makes of it. */
export function fileStates(root: string = ROOT): FileState[] {
  return GENERATED_FILES.map(({ path, generate }) => {
    const current = readFileSync(join(root, path), 'utf8');
    return { path, current, generated: generate(current) };
  });
}

/** The files whose committed text differs from the generated one. */
export function driftedFiles(root: string = ROOT): string[] {
  return fileStates(root)
    .filter((state) => state.current !== state.generated)
    .map((state) => state.path);
}

/** Rewrites the files that drifted; returns their paths. */
export function writeGeneratedFiles(root: string = ROOT): string[] {
  const written: string[] = [];
  for (const state of fileStates(root)) {
    if (state.current === state.generated) continue;
    writeFileSync(join(root, state.path), state.generated);
    written.push(state.path);
  }
  return written;
}
