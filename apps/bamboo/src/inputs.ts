import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_KEYS, optionOf, parseYesNo, urlPassword, type ConfigKey, type InputNames, type RawConfig } from '@ias/core';
import { API_KEY_SECRET_VARIABLE, API_KEY_VARIABLE, environmentName, isSecretName, PASS_THROUGH, SETTINGS, type BambooSetting } from './settings';

type Env = Readonly<Record<string, string | undefined>>;

/** Where one setting's value came from, for the debug log. */
export interface SettingSource {
  variable: string;
  from: 'flag' | 'variable' | 'default';
  /** The flag or environment variable it was read from. */
  origin: string | undefined;
  value: string | undefined;
}

/** Everything the Bamboo task reads from its process. */
export interface BambooInputs {
  raw: RawConfig;
  names: InputNames;
  /** The values that must never be printed: the API key and any proxy password. */
  secrets: string[];
  debug: boolean;
  proxy: string | undefined;
  workingDirectory: string;
  /** Absolute report folder. */
  outputDir: string;
  sources: SettingSource[];
  /** Problems found before core sees the config (exit 2). */
  errors: string[];
  warnings: string[];
  help: boolean;
  version: boolean;
  /** `ias-bamboo check` (or `--check`): verify the settings against the API, launch nothing. */
  check: boolean;
}

/** Bamboo's maximum execution default (the official task's 120 minutes); core itself has no limit. */
export const DEFAULT_MAX_EXECUTION = optionOf('maxExecution').bamboo?.default ?? 'none';

const BOOLEAN_FLAGS = new Set(['debug', 'help', 'version', 'check']);

/**
 * Reads the task's settings: `bamboo_*` variables, overridden by command-line flags. The API key comes only
 * from a variable whose name contains "password", "secret" or "passphrase" (Bamboo's secret variables) or from `IAS_API_KEY` set in the
 * task's Environment variables field; never from a flag, which would show in process lists.
 */
export function readBambooInputs(argv: readonly string[], env: Env, cwd: string): BambooInputs {
  const errors: string[] = [];
  const warnings: string[] = [];
  const knownFlags = [...SETTINGS.map((s) => s.flag), ...PASS_THROUGH.map((p) => p.flag), 'api-key-variable', 'help', 'version', 'check'];
  const options = Object.fromEntries(knownFlags.map((flag) => [flag, { type: BOOLEAN_FLAGS.has(flag) ? ('boolean' as const) : ('string' as const) }]));
  let flags: Record<string, string | boolean | undefined> = {};
  let check = false;
  if (argv.some((a) => a === '--api-key' || a.startsWith('--api-key='))) {
    errors.push(`--api-key is not accepted: flags show up in process lists and build logs; put the key in the Bamboo variable ${API_KEY_VARIABLE} (its name contains "password", so Bamboo treats it as a secret)`);
  } else {
    try {
      const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
      flags = parsed.values as Record<string, string | boolean | undefined>;
      // One command word is known: `check`. Anything else is a typo that would otherwise launch a scan.
      const [command, ...rest] = parsed.positionals;
      if (command !== undefined && (command !== 'check' || rest.length > 0)) {
        errors.push(`'${parsed.positionals.join(' ')}' is not a command of ias-bamboo; run it without one to scan, or as 'ias-bamboo check' to check the settings (run with --help for the options)`);
      }
      check = command === 'check' || flags.check === true;
    } catch (error) {
      errors.push(`${error instanceof Error ? error.message.split('\n')[0] : String(error)} (run with --help for the options)`);
    }
  }

  const workingDirectory = readEnv(env, 'bamboo_build_working_directory')?.value ?? cwd;
  const raw: RawConfig = {};
  const names: InputNames = {};
  const sources: SettingSource[] = [];
  const used = new Set<string>();
  const read = (setting: { variable: string; flag: string }): string | undefined => {
    const fromFlag = flags[setting.flag];
    if (typeof fromFlag === 'string') {
      sources.push({ variable: setting.variable, from: 'flag', origin: `--${setting.flag}`, value: fromFlag });
      return fromFlag;
    }
    const found = readEnv(env, environmentName(setting.variable));
    if (found !== undefined) used.add(found.name);
    sources.push({ variable: setting.variable, from: found === undefined ? 'default' : 'variable', origin: found?.name, value: found?.value });
    return found?.value;
  };
  const nameOf = (setting: BambooSetting): string => {
    if (typeof flags[setting.flag] === 'string') return `--${setting.flag}`;
    return setting.field === undefined ? setting.variable : `${setting.variable} (${setting.field})`;
  };

  let queryEnforcement: string | undefined;
  let proxy: string | undefined;
  let debugValue: string | undefined;
  for (const setting of SETTINGS) {
    const value = read(setting);
    if (setting.key !== undefined) {
      raw[setting.key] = value;
      names[setting.key] = nameOf(setting);
    } else if (setting.variable === 'ias.queryEnforcement') {
      queryEnforcement = value;
    } else if (setting.variable === 'ias.proxy') {
      proxy = value === undefined || value.trim() === '' ? undefined : value.trim();
    } else if (setting.variable === 'ias.debug') {
      debugValue = value;
    }
  }
  for (const extra of PASS_THROUGH) {
    if (!(CONFIG_KEYS as readonly string[]).includes(extra.key)) continue;
    const value = read(extra);
    const key = extra.key as unknown as ConfigKey;
    raw[key] = value;
    names[key] = typeof flags[extra.flag] === 'string' ? `--${extra.flag}` : extra.variable;
  }

  // Vulnerability Query Enforcement: on when a query is given, unless switched off; on without a query is a mistake.
  const enforcement = parseYesNo(queryEnforcement);
  const enforcementName = typeof flags['query-enforcement'] === 'string' ? '--query-enforcement' : 'ias.queryEnforcement (Vulnerability Query Enforcement)';
  const query = typeof raw.gateQuery === 'string' ? raw.gateQuery.trim() : '';
  if (enforcement === 'invalid') {
    errors.push(`${enforcementName} '${queryEnforcement ?? ''}' is not a yes/no value; use true or false`);
  } else if (enforcement === false && query !== '') {
    warnings.push(`${names.gateQuery ?? 'ias.gateQuery'} is set but ${enforcementName} is false, so the build does not fail on matching findings`);
    raw.gateQuery = undefined;
  } else if (enforcement === true && query === '') {
    errors.push(`${enforcementName} is true but ${names.gateQuery ?? 'ias.gateQuery'} is empty; set the query, e.g. vulnerability.severity='HIGH', or turn the enforcement off`);
  }

  if (raw.maxExecution === undefined || (typeof raw.maxExecution === 'string' && raw.maxExecution.trim() === '')) raw.maxExecution = DEFAULT_MAX_EXECUTION;

  const outputSetting = typeof raw.outputDir === 'string' && raw.outputDir.trim() !== '' ? raw.outputDir.trim() : undefined;
  const outputDir = outputSetting === undefined ? resolve(workingDirectory) : isAbsolute(outputSetting) ? outputSetting : resolve(workingDirectory, outputSetting);
  raw.outputDir = outputDir;

  const key = readApiKey(flags, env, errors, used);
  raw.apiKey = key.value;
  names.apiKey = key.name;

  const debug = flags.debug === true || parseYesNo(debugValue) === true;
  for (const name of Object.keys(env)) {
    if (/^bamboo_ias_/i.test(name) && !used.has(name) && !isKnownEnvName(name)) {
      warnings.push(`the Bamboo variable behind ${name} is not a setting of ias-bamboo and is ignored; see the README for the variable names`);
    }
  }

  // A base URL with user:pass@ is refused as bad input, but its password must not reach the log on the way there.
  const secrets = [key.value, urlPassword(proxy), urlPassword(env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy), urlPassword(typeof raw.baseUrl === 'string' ? raw.baseUrl : undefined)].filter(
    (s): s is string => s !== undefined && s !== '',
  );
  return {
    raw,
    names,
    secrets,
    debug,
    proxy,
    workingDirectory,
    outputDir,
    sources,
    errors,
    warnings,
    help: flags.help === true,
    version: flags.version === true,
    check,
  };
}

function readApiKey(flags: Record<string, string | boolean | undefined>, env: Env, errors: string[], used: Set<string>): { value: string | undefined; name: string } {
  const chosen = flags['api-key-variable'];
  if (typeof chosen === 'string' && chosen.trim() !== '') {
    const variable = chosen.trim();
    if (!isSecretName(variable)) {
      errors.push(`--api-key-variable ${variable} contains none of "password", "secret" or "passphrase", so Bamboo would not treat the key as a secret; rename the variable, e.g. ${API_KEY_VARIABLE}`);
      return { value: undefined, name: variable };
    }
    const found = readEnv(env, variable) ?? readEnv(env, environmentName(variable.replace(/^bamboo[._]/, '')));
    if (found === undefined) {
      errors.push(`--api-key-variable names ${variable}, but no such variable reached the task (Bamboo passes it as ${environmentName(variable.replace(/^bamboo[._]/, ''))}); define it in the plan or as a global variable`);
      return { value: undefined, name: variable };
    }
    used.add(found.name);
    return { value: found.value, name: variable };
  }
  for (const variable of [API_KEY_VARIABLE, API_KEY_SECRET_VARIABLE]) {
    const found = readEnv(env, environmentName(variable));
    if (found !== undefined && found.value !== '') {
      used.add(found.name);
      return { value: found.value, name: variable };
    }
  }
  const unmasked = Object.keys(env).find((name) => /^bamboo_ias_api_?key$/i.test(name));
  if (unmasked !== undefined) {
    used.add(unmasked);
    errors.push(`the API key is in ${unmasked.replace(/^bamboo_/, '').replace(/_/g, '.')}, whose name contains none of "password", "secret" or "passphrase", so Bamboo shows it in its UI and logs; rename the variable to ${API_KEY_VARIABLE}`);
    return { value: undefined, name: API_KEY_VARIABLE };
  }
  const fromTask = env.IAS_API_KEY;
  if (fromTask !== undefined && fromTask !== '') return { value: fromTask, name: 'IAS_API_KEY' };
  return { value: undefined, name: `${API_KEY_VARIABLE} (InsightAppSec API Key)` };
}

/** Reads a variable by its exact name, or else by Bamboo's name ignoring letter case and separators. */
function readEnv(env: Env, name: string): { name: string; value: string } | undefined {
  const exact = env[name];
  if (exact !== undefined) return { name, value: exact };
  const wanted = normalize(name);
  for (const [candidate, value] of Object.entries(env)) {
    if (value !== undefined && normalize(candidate) === wanted) return { name: candidate, value };
  }
  return undefined;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

function isKnownEnvName(name: string): boolean {
  const n = normalize(name);
  return [...SETTINGS.map((s) => s.variable), ...PASS_THROUGH.map((p) => p.variable), API_KEY_VARIABLE, API_KEY_SECRET_VARIABLE].some((v) => normalize(environmentName(v)) === n);
}

