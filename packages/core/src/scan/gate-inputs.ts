import type { ScanJob } from '../config/schema';
import type { InputNames } from '../config/parse-config';
import { ConfigError, IasError } from '../errors';
import { parseBaseline, type Baseline } from '../gate/baseline';
import { parseSuppressions, type Suppressions } from '../gate/suppressions';

/** The gate's files, read and parsed before anything is launched. */
export interface GateInputs {
  baseline: Baseline | undefined;
  suppressions: Suppressions | undefined;
  warnings: string[];
}

/**
 * Reads and parses the baseline and suppressions files a job names, through the host's `readText`.
 * @throws ConfigError (CONFIG_INVALID) naming the input when a file cannot be read or is malformed.
 */
export async function loadGateInputs(job: ScanJob, readText: ((path: string) => Promise<string>) | undefined, names: InputNames, now: number): Promise<GateInputs> {
  const read = async (key: 'baseline' | 'suppressions', path: string): Promise<string> => {
    const name = names[key] ?? key;
    if (readText === undefined) throw new ConfigError(`${name} cannot be read on this host; remove it.`, [{ path: name, message: 'files cannot be read here' }]);
    try {
      return await readText(path);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new ConfigError(`${name} '${path}' could not be read${typeof code === 'string' ? ` (${code})` : ''}; check the path.`, [{ path: name, message: 'unreadable file' }], { cause: error });
    }
  };
  const prefixed = <T>(key: 'baseline' | 'suppressions', parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof IasError) {
        const name = names[key] ?? key;
        throw new ConfigError(`${name}: ${error.message}`, [{ path: name, message: error.message }], { cause: error });
      }
      throw error;
    }
  };
  const warnings: string[] = [];
  let baseline: Baseline | undefined;
  let suppressions: Suppressions | undefined;
  if (job.baseline !== undefined) {
    const text = await read('baseline', job.baseline);
    baseline = prefixed('baseline', () => parseBaseline(text, job.baseline ?? ''));
  }
  if (job.suppressions !== undefined) {
    const text = await read('suppressions', job.suppressions);
    const parsed = prefixed('suppressions', () => parseSuppressions(text, job.suppressions ?? '', now));
    suppressions = parsed.suppressions;
    warnings.push(...parsed.warnings);
  }
  return { baseline, suppressions, warnings };
}
