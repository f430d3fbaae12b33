import type { Command } from 'commander';
import type { Terminal } from './outputs';

/** Registers the commands that need no API key (`ias query check`, `ias gate`). */
export function registerOfflineCommands(_program: Command, _terminal: Terminal & { readText(path: string): Promise<string> }, _setExit: (code: number) => void): void {}
