import { BAMBOO_ONLY, BAMBOO_ORDER, optionOf, OPTIONS, type ConfigKey } from '@ias/core';

/**
 * One setting of the Bamboo task: the plan variable users define (`ias.region`), the environment variable a
 * Script task sees (`bamboo_ias_region`), the command-line flag that overrides it, and the field of the
 * official plugin's task form it replaces.
 */
export interface BambooSetting {
  /** The core config key it feeds; `undefined` for settings the adapter handles itself. */
  key: ConfigKey | undefined;
  /** The Bamboo variable name, as typed in the plan's Variables tab. */
  variable: string;
  /** The long flag without dashes (`--scan-config` → `scan-config`). */
  flag: string;
  /** The field of the official task this setting replaces, when there is one. */
  field?: string;
  /** The default, as documented. */
  shownDefault?: string;
  help: string;
}

/** The variable that holds the API key. Its name contains "password", so Bamboo treats it as a secret. */
export const API_KEY_VARIABLE = 'ias.apiKey.password';

/** Read when {@link API_KEY_VARIABLE} is not set: the same key under Bamboo's other secret keyword. */
export const API_KEY_SECRET_VARIABLE = 'ias.apiKey.secret';

/**
 * The words that make Bamboo treat a variable as secret (stored encrypted, its value shown as asterisks in the UI
 * and replaced in build logs): a key variable must contain one of them.
 */
export const SECRET_WORDS = ['password', 'secret', 'passphrase'] as const;

/** True when Bamboo treats a variable of this name as secret. */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_WORDS.some((word) => lower.includes(word));
}

/** Every setting, in the order of the guide's task form, then the product's extra options (the catalogue's). */
export const SETTINGS: readonly BambooSetting[] = BAMBOO_ORDER.map((name): BambooSetting => {
  const own = BAMBOO_ONLY.find((s) => s.name === name);
  if (own !== undefined) return { key: undefined, variable: own.name, flag: own.flag ?? '', ...optional(own.field, own.shownDefault), help: own.help };
  const option = optionOf(name as ConfigKey);
  const bamboo = option.bamboo;
  if (bamboo === undefined) throw new Error(`the option ${name} has no Bamboo name`);
  return { key: option.key, variable: bamboo.variable, flag: bamboo.flag, ...optional(bamboo.field, bamboo.shownDefault), help: bamboo.help ?? option.help };
});

/** The settings that are read but not listed in `--help` (their README section documents them). */
export const PASS_THROUGH: readonly { key: ConfigKey; variable: string; flag: string }[] = OPTIONS.flatMap((option) =>
  option.bamboo?.listed === false ? [{ key: option.key, variable: option.bamboo.variable, flag: option.bamboo.flag }] : [],
);

function optional(field: string | undefined, shownDefault: string | undefined): Pick<BambooSetting, 'field' | 'shownDefault'> {
  return { ...(field === undefined ? {} : { field }), ...(shownDefault === undefined ? {} : { shownDefault }) };
}

/**
 * The environment variable Bamboo gives a Script task for a plan, global or deployment variable: `bamboo_`
 * followed by the name with every dot turned into an underscore; letter case is kept
 * (`ias.scanConfig` → `bamboo_ias_scanConfig`).
 */
export function environmentName(variable: string): string {
  return `bamboo_${variable.replace(/\./g, '_')}`;
}
