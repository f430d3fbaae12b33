import { Option, type Command } from 'commander';
import { optionOf, OPTIONS, type ConfigKey, type InputNames, type RawConfig } from '@ias/core';

/** A CLI option: its flag, its variable, its help and the default shown in `--help`. */
export interface CliOption {
  key: ConfigKey;
  flag: string;
  env: string;
  placeholder: string;
  help: string;
  /** The default, as text for `--help`; `undefined` when there is none. */
  shownDefault?: string;
}

/** Every `ias scan` option, in help order (the catalogue's). The API key has no flag: it comes from IAS_API_KEY only. */
export const SCAN_OPTIONS: readonly CliOption[] = OPTIONS.flatMap((option): CliOption[] => {
  const { flag, env, placeholder } = option.cli;
  if (flag === undefined || placeholder === undefined) return [];
  const shownDefault = option.cli.default ?? option.default;
  return [{ key: option.key, flag, env, placeholder, help: option.help, ...(shownDefault === undefined ? {} : { shownDefault }) }];
});

/** Adds every `ias scan` option to a command, each help line ending in its default and its variable. */
export function addScanOptions(command: Command): void {
  for (const option of SCAN_OPTIONS) {
    const def = option.shownDefault === undefined ? '' : ` (default: ${option.shownDefault})`;
    command.addOption(new Option(`${option.flag} <${option.placeholder}>`, `${option.help}${def} [${option.env}]`));
  }
}

const API_KEY_ENV = optionOf('apiKey').cli.env;
const DEFAULT_OUTPUT_DIR = optionOf('outputDir').cli.default;

/** Where the CLI's values come from. */
export interface CliSources {
  /** Parsed flags, keyed by config key (commander's camelCase names match the config keys). */
  flags: Record<string, unknown>;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Turns flags and `IAS_*` variables into raw config: a flag wins over its variable. Each input is named in
 * messages the way the user gave it (`--app` or `IAS_APP`).
 */
export function readScanInputs(sources: CliSources): { raw: RawConfig; names: InputNames } {
  const raw: RawConfig = {};
  const names: InputNames = { apiKey: API_KEY_ENV };
  for (const option of SCAN_OPTIONS) {
    const fromFlag = sources.flags[option.key];
    if (fromFlag !== undefined) {
      raw[option.key] = fromFlag as string;
      names[option.key] = option.flag;
    } else {
      raw[option.key] = sources.env[option.env];
      names[option.key] = sources.env[option.env] === undefined ? option.flag : option.env;
    }
  }
  raw.apiKey = sources.env[API_KEY_ENV];
  raw.outputDir ??= DEFAULT_OUTPUT_DIR;
  return { raw, names };
}
