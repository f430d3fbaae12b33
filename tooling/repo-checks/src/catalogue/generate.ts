import { driftedFiles, FIX_COMMAND, writeGeneratedFiles } from './files';

/*
 * Rewrites the files that follow the option catalogue (action.yml's inputs, task.json's inputs, the READMEs' option
 * tables) from packages/core/src/config/options.ts. `--check`: writes nothing, exits 1 naming the files that drifted.
 */
if (process.argv.includes('--check')) {
  const drifted = driftedFiles();
  if (drifted.length > 0) {
    process.stderr.write(`Out of date with the option catalogue: ${drifted.join(', ')}. Run: ${FIX_COMMAND}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('Every generated file follows the option catalogue.\n');
  }
} else {
  const written = writeGeneratedFiles();
  process.stdout.write(written.length === 0 ? 'Every generated file already follows the option catalogue.\n' : `Rewrote ${written.join(', ')}.\n`);
}
