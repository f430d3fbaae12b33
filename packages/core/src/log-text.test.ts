import { describe, expect, it } from 'vitest';
import { escapeLogText, sanitizeLogMessage, toWellFormedText } from './log-text';

const COMMANDS = [
  '::set-output name=gate-result::passed',
  '::stop-commands::x',
  '::save-state name=scanSettled::true',
  '::add-mask::secret',
  '::error::forged',
  '##vso[task.prependpath]./evil',
  '##vso[task.setvariable variable=x]y',
  '##vso[task.complete result=Succeeded]',
  '##[error]forged',
];

describe('escapeLogText', () => {
  it('makes each host command inert, wherever it sits, as one visible line', () => {
    for (const command of COMMANDS) {
      for (const text of [command, `  ${command}`, `q\n${command}`, `q\r${command}`, `x ${command}`]) {
        const out = escapeLogText(text);
        expect(out).not.toMatch(/[\r\n]/);
        expect(out).not.toMatch(/^\s*(::|##)/);
        expect(out).not.toMatch(/##(vso)?\[/i);
      }
    }
  });

  it('shows control characters, ANSI escapes, separators, bidi controls and lone surrogates as escapes', () => {
    expect(escapeLogText('a\nb\rc\u001b[31md\u0000e\u0085f\u2028g\u202eh\ud800i\tj')).toBe('a\\nb\\rc\\x1b[31md\\0e\\x85f\\u2028g\\u202eh\\ud800i\tj');
    expect(escapeLogText('ok 😀 é')).toBe('ok 😀 é');
  });
});

describe('sanitizeLogMessage', () => {
  it('keeps intended line breaks but defuses every line', () => {
    const out = sanitizeLogMessage(`Query problem:\n${COMMANDS.join('\n')}\n   ^`);
    const lines = out.split('\n');
    expect(lines).toHaveLength(COMMANDS.length + 2);
    expect(lines[0]).toBe('Query problem:');
    expect(lines.at(-1)).toBe('   ^');
    for (const line of lines) {
      expect(line).not.toMatch(/^\s*(::|##)/);
      expect(line).not.toMatch(/##(vso)?\[/i);
    }
    expect(sanitizeLogMessage('over\rwrite \u001b[2J')).toBe('over\\rwrite \\x1b[2J');
  });
});

describe('toWellFormedText', () => {
  it('replaces lone surrogates so the text can be URL-encoded, and keeps pairs', () => {
    expect(() => encodeURIComponent(toWellFormedText('Atk_\ud800'))).not.toThrow();
    expect(toWellFormedText('a\udc00b\ud83d\ude00')).toBe('a\ufffdb😀');
  });
});

describe('scanIdFromLocation on a hostile Location', () => {
  it('a malformed percent escape or a lone surrogate is a RESPONSE_INVALID error, never a URIError', async () => {
    const { scanIdFromLocation } = await import('./scan/launch-scan');
    for (const location of ['/ias/v1/scans/%E0%A4%A', '/ias/v1/scans/\ud800', 'http://[bad']) {
      expect(() => scanIdFromLocation(location, 'https://us.api.insight.rapid7.com/ias/v1')).toThrow(expect.objectContaining({ code: 'RESPONSE_INVALID' }));
    }
  });
});
