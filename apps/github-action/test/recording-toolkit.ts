import type { ActionToolkit, AnnotationProperties } from '../src/toolkit';

/** One call the action made on the toolkit. */
export interface ToolkitCall {
  kind: 'secret' | 'debug' | 'info' | 'failed' | 'group' | 'endgroup' | 'summary' | 'warning' | 'error' | 'notice' | 'output' | 'state';
  /** The message, or the output's or state's value. */
  text: string;
  /** The output's or state's name. */
  name?: string;
  properties?: AnnotationProperties | undefined;
}

/** A fake of `@actions/core` that records every call; inputs and state are given up front. */
export interface RecordingToolkit extends ActionToolkit {
  calls: ToolkitCall[];
  outputs(): Record<string, string>;
  of(kind: ToolkitCall['kind']): ToolkitCall[];
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

export function createRecordingToolkit(inputs: Record<string, string> = {}, state: Record<string, string> = {}): RecordingToolkit {
  const calls: ToolkitCall[] = [];
  const getInput = (name: string): string => (inputs[name] ?? '').trim();
  return {
    calls,
    outputs: () => Object.fromEntries(calls.flatMap((c) => (c.kind === 'output' ? [[c.name, c.text]] : []))),
    of: (kind) => calls.filter((c) => c.kind === kind),
    getInput,
    getBooleanInput: (name) => {
      const value = getInput(name);
      if (TRUE.includes(value)) return true;
      if (FALSE.includes(value)) return false;
      throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}`);
    },
    setSecret: (text) => calls.push({ kind: 'secret', text }),
    setOutput: (name, text) => calls.push({ kind: 'output', name, text }),
    saveState: (name, text) => calls.push({ kind: 'state', name, text }),
    getState: (name) => state[name] ?? '',
    debug: (text) => calls.push({ kind: 'debug', text }),
    info: (text) => calls.push({ kind: 'info', text }),
    warning: (text, properties) => calls.push({ kind: 'warning', text, properties }),
    error: (text, properties) => calls.push({ kind: 'error', text, properties }),
    notice: (text, properties) => calls.push({ kind: 'notice', text, properties }),
    startGroup: (text) => calls.push({ kind: 'group', text }),
    endGroup: () => calls.push({ kind: 'endgroup', text: '' }),
    setFailed: (text) => calls.push({ kind: 'failed', text }),
    appendSummary: async (text) => {
      calls.push({ kind: 'summary', text });
    },
  };
}
