import { isAbsolute, join, resolve } from 'node:path';
import { GITHUB_ONLY, optionOf, OPTIONS, type ConfigKey, type InputNames, type RawConfig } from '@ias/core';

/** The part of `@actions/core` that reads inputs. */
export interface InputReader {
  /** `core.getInput`: the trimmed value of `INPUT_<NAME>`, or `''`. */
  getInput(name: string): string;
  /** `core.getBooleanInput`: YAML 1.2 core-schema booleans only; throws a `TypeError` otherwise. */
  getBooleanInput(name: string): boolean;
}

/** One input of action.yml that maps onto a core configuration key. */
export interface CoreInput {
  id: string;
  key: ConfigKey;
  boolean?: true;
}

/** Every core option, as the action names it (kebab-case; the catalogue's); action.yml declares exactly these plus the rest below. */
export const CORE_INPUTS: readonly CoreInput[] = OPTIONS.map((option) => ({
  id: option.github.input,
  key: option.key,
  ...(option.type === 'flag' && option.github.yamlBoolean !== false ? { boolean: true as const } : {}),
}));

/** Inputs of the action itself (not core options). */
export const ACTION_INPUTS: readonly string[] = GITHUB_ONLY.map((input) => input.name);

/** The official Rapid7 action's inputs, accepted unchanged so a workflow can switch by changing only `uses:`. */
export const COMPAT_INPUTS: readonly string[] = OPTIONS.flatMap((option) => (option.github.official === undefined || option.github.official === option.github.input ? [] : [option.github.official]));

/**
 * The official action's poll interval (rapid7/insightappsec-scan-github-actions, lib/ScanTools.js: 300000 ms),
 * used when a workflow gives any of its inputs and no `poll-interval`.
 */
export const OFFICIAL_POLL_INTERVAL = optionOf('pollInterval').github.officialDefault ?? '5m';

/** The report folder when `output-dir` is not given (hosts.md §5), inside the workspace. */
export const DEFAULT_OUTPUT_DIR = optionOf('outputDir').github.default ?? 'insightappsec-reports';

/** What the action read: raw config for core, how to name each key, and the action's own switches. */
export interface ActionInputs {
  raw: RawConfig;
  names: InputNames;
  /** Absolute report folder. */
  outputDir: string;
  /** Append the markdown summary to the job summary. */
  summary: boolean;
  /** Turn gate matches into error annotations. */
  annotations: boolean;
  /** Check the inputs (preflight) instead of scanning. */
  check: boolean;
  /** Problems found before core sees the values, one sentence each, naming the input. */
  problems: string[];
  /** Notes about how compatibility inputs were read. */
  notes: string[];
}

/**
 * Reads the action's inputs into raw core configuration. Values stay strings for core to coerce (so a bad value is
 * reported by core, naming the input as the workflow spells it); booleans follow the toolkit's YAML 1.2 rules. A
 * relative `output-dir` is taken from `workspace` (`GITHUB_WORKSPACE`).
 */
export function readActionInputs(reader: InputReader, workspace: string): ActionInputs {
  const raw: RawConfig = {};
  const names: InputNames = {};
  const problems: string[] = [];
  const notes: string[] = [];

  const readBoolean = (id: string): boolean | undefined => {
    if (reader.getInput(id) === '') return undefined;
    try {
      return reader.getBooleanInput(id);
    } catch {
      problems.push(`${id} must be true or false (YAML 1.2 booleans: true, True, TRUE, false, False, FALSE)`);
      return undefined;
    }
  };

  for (const input of CORE_INPUTS) {
    names[input.key] = input.id;
    const value = input.boolean ? readBoolean(input.id) : nonEmpty(reader.getInput(input.id));
    if (value !== undefined) raw[input.key] = value;
  }

  // The official action's inputs: each fills its modern counterpart when that one is not given.
  const alias = (id: string, key: ConfigKey, value: string | boolean | undefined): void => {
    if (value === undefined) return;
    const modern = CORE_INPUTS.find((i) => i.key === key)?.id ?? key;
    if (raw[key] !== undefined && raw[key] !== value) {
      problems.push(`${id} and ${modern} disagree ('${String(value)}' and '${String(raw[key])}'); give only one of them`);
      return;
    }
    if (raw[key] === undefined) {
      raw[key] = value;
      names[key] = id;
    }
  };
  alias('scan-config-id', 'scanConfig', nonEmpty(reader.getInput('scan-config-id')));
  alias('vuln-query', 'gateQuery', nonEmpty(reader.getInput('vuln-query')));
  const wait = readBoolean('wait-for-scan-complete');
  if (wait !== undefined) {
    if (raw.advanceOn === undefined) {
      raw.advanceOn = wait ? 'completed' : 'submitted';
      names.advanceOn = 'wait-for-scan-complete';
    } else if ((raw.advanceOn === 'completed') !== wait) {
      problems.push(`wait-for-scan-complete '${String(wait)}' and advance-on '${String(raw.advanceOn)}' disagree; give only advance-on`);
    }
  }
  const timeout = nonEmpty(reader.getInput('scan-timeout-mins'));
  if (timeout !== undefined) {
    if (!/^\d+$/.test(timeout) || Number(timeout) < 1) {
      problems.push(`scan-timeout-mins '${timeout}' must be a whole number of minutes, such as 60`);
    } else {
      // The official action counts one budget from the launch, whatever the scan's state (lib/ScanTools.js,
      // hasScanTimeoutExceeded), and cancels the scan when it runs out.
      alias('scan-timeout-mins', 'maxTotal', `${Number(timeout)}m`);
      notes.push(`scan-timeout-mins ${Number(timeout)}: the scan is canceled if it has not completed ${Number(timeout)} minutes after launch`);
    }
  }
  // A workflow written for the official action keeps its polling: every 5 minutes, unless poll-interval is set.
  if (raw.pollInterval === undefined && COMPAT_INPUTS.some((id) => reader.getInput(id) !== '')) {
    raw.pollInterval = OFFICIAL_POLL_INTERVAL;
    notes.push(`Polling every ${OFFICIAL_POLL_INTERVAL}, as the official action does; set poll-interval to change it`);
  }

  const given = typeof raw.outputDir === 'string' ? raw.outputDir : undefined;
  const outputDir = given === undefined ? join(workspace, DEFAULT_OUTPUT_DIR) : isAbsolute(given) ? given : resolve(workspace, given);
  raw.outputDir = outputDir;

  return {
    raw,
    names,
    outputDir,
    summary: readBoolean('summary') ?? true,
    annotations: readBoolean('annotations') ?? true,
    check: readBoolean('check') ?? false,
    problems,
    notes,
  };
}

function nonEmpty(value: string): string | undefined {
  return value === '' ? undefined : value;
}
