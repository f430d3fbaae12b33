#!/usr/bin/env node
import { version } from '../package.json';

// The process entry. `ias --version` and `ias -V`, alone, print the version here: commander would print the same line
// and exit 0, after Node had loaded and compiled the program's 90 KB (about 40 ms, most of that command's time;
// tooling/bench times it). Everything else, the version flag among other arguments included, goes to start.ts.

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) process.stdout.write(`${version}\n`);
else void import('./start');
