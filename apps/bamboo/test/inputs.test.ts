import { describe, expect, it } from 'vitest';
import { readBambooInputs } from '../src/inputs';
import { API_KEY_VARIABLE, environmentName, SETTINGS } from '../src/settings';

const KEY = 'inputs-test-key-0123456789';
const base = { bamboo_ias_apiKey_password: KEY, bamboo_ias_app: 'Demo Shop', bamboo_ias_scanConfig: 'Full' };

describe('environmentName', () => {
  it.each([
    ['ias.region', 'bamboo_ias_region'],
    ['ias.scanConfig', 'bamboo_ias_scanConfig'],
    ['ias.advanceOn', 'bamboo_ias_advanceOn'],
    [API_KEY_VARIABLE, 'bamboo_ias_apiKey_password'],
    ['planRepository.1.branch', 'bamboo_planRepository_1_branch'],
  ])('%s reaches a script as %s', (variable, env) => {
    expect(environmentName(variable)).toBe(env);
  });

  it('every setting has its own variable and flag', () => {
    expect(new Set(SETTINGS.map((s) => s.variable)).size).toBe(SETTINGS.length);
    expect(new Set(SETTINGS.map((s) => s.flag)).size).toBe(SETTINGS.length);
  });
});

describe('readBambooInputs', () => {
  it('reads bamboo_* variables, with the guide defaults and the task field in names', () => {
    const inputs = readBambooInputs([], { ...base, bamboo_ias_advanceOn: 'STARTED', bamboo_build_working_directory: '/build/dir' }, '/cwd');
    expect(inputs.errors).toEqual([]);
    expect(inputs.raw).toMatchObject({ app: 'Demo Shop', scanConfig: 'Full', advanceOn: 'STARTED', apiKey: KEY, maxExecution: '120', outputDir: '/build/dir' });
    expect(inputs.names.scanConfig).toBe('ias.scanConfig (Scan Config Name)');
    expect(inputs.names.apiKey).toBe(API_KEY_VARIABLE);
    expect(inputs.secrets).toEqual([KEY]);
  });

  it('lets a flag win over its variable and names the flag in messages', () => {
    const inputs = readBambooInputs(['--scan-config', 'Full Audit', '--max-execution=none'], { ...base, bamboo_ias_maxExecution: '60' }, '/cwd');
    expect(inputs.raw.scanConfig).toBe('Full Audit');
    expect(inputs.names.scanConfig).toBe('--scan-config');
    expect(inputs.raw.maxExecution).toBe('none');
  });

  it('finds a variable whatever the letter case, and warns about variables it does not know', () => {
    const inputs = readBambooInputs([], { ...base, bamboo_IAS_REGION: 'eu', bamboo_ias_vulnerabilityQuery: "vulnerability.severity='HIGH'" }, '/cwd');
    expect(inputs.raw.region).toBe('eu');
    expect(inputs.warnings).toEqual([expect.stringContaining('bamboo_ias_vulnerabilityQuery is not a setting of ias-bamboo')]);
  });

  it('puts a relative report folder inside the build working directory', () => {
    const inputs = readBambooInputs([], { ...base, bamboo_build_working_directory: '/build/dir', bamboo_ias_outputDir: 'reports' }, '/cwd');
    expect(inputs.outputDir).toBe('/build/dir/reports');
    expect(readBambooInputs([], base, '/cwd').outputDir).toBe('/cwd');
  });

  it('turns Vulnerability Query Enforcement on when a query is set, and refuses it on without a query', () => {
    expect(readBambooInputs([], { ...base, bamboo_ias_gateQuery: "vulnerability.severity='HIGH'" }, '/').raw.gateQuery).toBe("vulnerability.severity='HIGH'");
    const off = readBambooInputs([], { ...base, bamboo_ias_gateQuery: 'x', bamboo_ias_queryEnforcement: 'false' }, '/');
    expect(off.raw.gateQuery).toBeUndefined();
    expect(off.warnings).toHaveLength(1);
    expect(readBambooInputs([], { ...base, bamboo_ias_queryEnforcement: 'yes' }, '/').errors).toEqual([expect.stringContaining('is empty')]);
    expect(readBambooInputs([], { ...base, bamboo_ias_queryEnforcement: 'maybe' }, '/').errors).toEqual([expect.stringContaining('is not a yes/no value')]);
  });

  it('takes the key from a variable named by --api-key-variable only when its name holds a secret word (password, secret, passphrase)', () => {
    const env = {
      ...base,
      bamboo_ias_apiKey_password: '',
      bamboo_rapid7_token_password: 'other-key-value',
      bamboo_rapid7_token_secret: 'secret-key-value',
      bamboo_rapid7_passphrase: 'passphrase-key-value',
      bamboo_rapid7_token: 'plain-key-value',
    };
    const ok = readBambooInputs(['--api-key-variable', 'rapid7.token.password'], env, '/');
    expect(ok.raw.apiKey).toBe('other-key-value');
    expect(ok.errors).toEqual([]);
    expect(readBambooInputs(['--api-key-variable', 'rapid7.token.secret'], env, '/')).toMatchObject({ errors: [], raw: { apiKey: 'secret-key-value' } });
    expect(readBambooInputs(['--api-key-variable', 'rapid7.passphrase'], env, '/')).toMatchObject({ errors: [], raw: { apiKey: 'passphrase-key-value' } });
    expect(readBambooInputs(['--api-key-variable', 'rapid7.token'], env, '/').errors).toEqual([expect.stringContaining('contains none of "password", "secret" or "passphrase"')]);
    expect(readBambooInputs(['--api-key-variable', 'missing.password'], env, '/').errors).toEqual([expect.stringContaining('no such variable')]);
  });

  it('refuses --api-key and an unmasked ias.apiKey variable, and accepts IAS_API_KEY from the task environment', () => {
    expect(readBambooInputs(['--api-key', KEY], base, '/').errors).toEqual([expect.stringContaining('--api-key is not accepted')]);
    const unmasked = readBambooInputs([], { bamboo_ias_apiKey: KEY }, '/');
    expect(unmasked.errors).toEqual([expect.stringContaining('rename the variable to ias.apiKey.password')]);
    expect(unmasked.raw.apiKey).toBeUndefined();
    expect(readBambooInputs([], { IAS_API_KEY: KEY }, '/').raw.apiKey).toBe(KEY);
  });

  it('reads the key from ias.apiKey.secret when ias.apiKey.password is not set', () => {
    const inputs = readBambooInputs([], { bamboo_ias_app: 'Demo Shop', bamboo_ias_scanConfig: 'Full', bamboo_ias_apiKey_secret: KEY }, '/');
    expect(inputs).toMatchObject({ errors: [], warnings: [], raw: { apiKey: KEY }, names: { apiKey: 'ias.apiKey.secret' } });
    expect(inputs.secrets).toContain(KEY);
  });

  it('reports an unknown flag as a settings error', () => {
    expect(readBambooInputs(['--scan-confg', 'x'], base, '/').errors).toEqual([expect.stringContaining("'--scan-confg'")]);
  });

  it('treats a proxy password as a secret and reads debug from a flag or ias.debug', () => {
    const inputs = readBambooInputs(['--debug'], { ...base, bamboo_ias_proxy: 'http://user:pr0xy-secret@proxy:8080' }, '/');
    expect(inputs.debug).toBe(true);
    expect(inputs.proxy).toBe('http://user:pr0xy-secret@proxy:8080');
    expect(inputs.secrets).toEqual([KEY, 'pr0xy-secret']);
    expect(readBambooInputs([], { ...base, bamboo_ias_debug: 'true' }, '/').debug).toBe(true);
  });
});
