import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Vulnerability } from '../api/schemas';
import { FINDING_FINGERPRINT, findingFingerprint, fingerprintInput, fingerprintOf, fingerprintText, fnv1a64, hash64, normaliseFindingUrl, SARIF_ROOT_CAUSE_FINGERPRINT } from './fingerprint';

function vuln(overrides: Partial<Vulnerability> = {}): Vulnerability {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    severity: 'HIGH',
    status: 'UNREVIEWED',
    root_cause: { url: 'https://shop.example/login', method: 'POST', parameter: 'user' },
    variances: [{ module: { id: 'AAAAAAAA-0000-4000-8000-000000000001' }, attack: { id: 'SQLi_01' } }],
    ...overrides,
  };
}

describe('fnv1a64', () => {
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('hashes %j to the published FNV-1a 64 test vector', (input, expected) => {
    expect(fnv1a64(input)).toBe(expected);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    expect(fnv1a64('é')).toBe(fnv1a64('\u00e9'));
    expect(fnv1a64('é')).not.toBe(fnv1a64('e\u0301'));
  });

  it('hashes exactly the bytes TextEncoder writes, lone surrogates as U+FFFD (property)', () => {
    /** The reference: FNV-1a 64 over TextEncoder's bytes, with BigInt. */
    const reference = (input: string): string => {
      let h = 0xcbf29ce484222325n;
      for (const byte of new TextEncoder().encode(input)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
      return h.toString(16).padStart(16, '0');
    };
    for (const edge of ['\ud800', '\udc00', 'a\ud83d', '\ud83d\ude00', '\u07ff\u0800\uffff', '\udbff\udfff']) expect(fnv1a64(edge)).toBe(reference(edge));
    fc.assert(
      fc.property(fc.tuple(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 })).map(([a, b]) => a + b), (input) => {
        expect(fnv1a64(input)).toBe(reference(input));
      }),
      { numRuns: 2_000, seed: Number(process.env['IAS_FUZZ_SEED'] ?? 20_261_202) },
    );
  });
});

describe('hash64', () => {
  /** The reference: one code unit a turn, as hash64 was first written; SARIF alerts are keyed by its values. */
  const reference = (text: string): string => {
    let h1 = 0xdeadbeef;
    let h2 = 0x41c6ce57;
    for (let i = 0; i < text.length; i += 1) {
      h1 = Math.imul(h1 ^ text.charCodeAt(i), 2654435761);
      h2 = Math.imul(h2 ^ text.charCodeAt(i), 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  };

  it('keeps the values SARIF results were first written with, at even and odd lengths', () => {
    expect(hash64('')).toBe('488bdcb81aee8d83');
    expect(hash64('a')).toBe('501c2ba782c97901');
    expect(hash64('ab')).toBe('4f6c04978a846752');
    expect(hash64('abc')).toBe('7a91f9f91ac18c8d');
    expect(hash64('app-1\u0000https://x/\u0000GET')).toBe('a402737500939d29');
  });

  it('hashes every text as the one-code-unit reference does (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (input) => {
        expect(hash64(input)).toBe(reference(input));
      }),
      { numRuns: 2_000, seed: Number(process.env['IAS_FUZZ_SEED'] ?? 20_261_202) },
    );
  });
});

describe('normaliseFindingUrl', () => {
  it.each([
    ['HTTPS://Shop.Example:443/Login/', 'https://shop.example/Login'],
    ['http://shop.example:80/', 'http://shop.example'],
    ['http://shop.example:8080/a', 'http://shop.example:8080/a'],
    ['https://shop.example/search?q=shoes&page=2&a=1#top', 'https://shop.example/search?a&page&q'],
    ['https://shop.example/search?q=1&q=2', 'https://shop.example/search?q'],
    ['https://user:pw@shop.example/x', 'https://shop.example/x'],
    ['/relative/path/?b=1&a=2#f', '/relative/path?a&b'],
    ['  https://shop.example/x  ', 'https://shop.example/x'],
    ['', ''],
  ])('%j becomes %j', (raw, expected) => {
    expect(normaliseFindingUrl(raw)).toBe(expected);
  });
});

describe('findingFingerprint', () => {
  it('is 16 hex digits and documents its input', () => {
    const v = vuln();
    expect(findingFingerprint(v)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintInput(v)).toBe('ias-fp-1\naaaaaaaa-0000-4000-8000-000000000001\nSQLi_01\nPOST\nhttps://shop.example/login\nuser');
    expect(findingFingerprint(v)).toBe(fnv1a64(fingerprintInput(v)));
  });

  it('ignores what changes between scans: id, severity, status, dates, query values and order, fragment, default port, case of scheme and host', () => {
    const a = vuln();
    const b = vuln({
      id: '22222222-2222-4222-8222-222222222222',
      severity: 'LOW',
      status: 'VERIFIED',
      first_discovered: '2026-01-01T00:00:00',
      root_cause: { url: 'HTTPS://SHOP.example:443/login/#x', method: 'post', parameter: 'user' },
    });
    expect(findingFingerprint(b)).toBe(findingFingerprint(a));
    const withValue = (value: string): Vulnerability => vuln({ root_cause: { url: `https://shop.example/login?next=${value}&lang=en`, method: 'POST', parameter: 'user' } });
    expect(findingFingerprint(withValue('/a'))).toBe(findingFingerprint(vuln({ root_cause: { url: 'https://shop.example/login?lang=de&next=/b', method: 'POST', parameter: 'user' } })));
    expect(findingFingerprint(withValue('/a'))).not.toBe(findingFingerprint(a));
  });

  it.each([
    ['module', vuln({ variances: [{ module: { id: 'bbbbbbbb-0000-4000-8000-000000000002' }, attack: { id: 'SQLi_01' } }] })],
    ['attack', vuln({ variances: [{ module: { id: 'aaaaaaaa-0000-4000-8000-000000000001' }, attack: { id: 'SQLi_02' } }] })],
    ['method', vuln({ root_cause: { url: 'https://shop.example/login', method: 'GET', parameter: 'user' } })],
    ['path', vuln({ root_cause: { url: 'https://shop.example/logout', method: 'POST', parameter: 'user' } })],
    ['host', vuln({ root_cause: { url: 'https://admin.shop.example/login', method: 'POST', parameter: 'user' } })],
    ['query parameter names', vuln({ root_cause: { url: 'https://shop.example/login?next=/', method: 'POST', parameter: 'user' } })],
    ['parameter', vuln({ root_cause: { url: 'https://shop.example/login', method: 'POST', parameter: 'password' } })],
    ['missing parameter', vuln({ root_cause: { url: 'https://shop.example/login', method: 'POST' } })],
  ])('changes with the %s', (_what, other) => {
    expect(findingFingerprint(other)).not.toBe(findingFingerprint(vuln()));
  });

  it('reads missing or odd fields without throwing', () => {
    expect(findingFingerprint({ id: 'x', severity: 'LOW' })).toMatch(/^[0-9a-f]{16}$/);
    expect(findingFingerprint({ id: 'x', severity: 'LOW', root_cause: null, variances: null })).toBe(findingFingerprint({ id: 'y', severity: 'HIGH' }));
    expect(() => findingFingerprint({ id: 'x', severity: 'LOW', root_cause: { url: 'http://[bad' } })).not.toThrow();
  });
});

describe('fingerprintOf', () => {
  const cause = { appId: 'app-1', moduleId: ' AAAA-01 ', attackId: ' SQLi_01 ', method: ' post ', url: 'HTTPS://Shop.example/login/?b=1&a=2', parameter: ' user' };

  it('computes the finding fingerprint by the ias-fp-1 recipe, which leaves the app id out', () => {
    expect(fingerprintText(cause, FINDING_FINGERPRINT)).toBe('ias-fp-1\naaaa-01\nSQLi_01\nPOST\nhttps://shop.example/login?a&b\n user');
    expect(fingerprintOf(cause)).toBe(fnv1a64(fingerprintText(cause, FINDING_FINGERPRINT)));
    expect(fingerprintOf({ ...cause, appId: 'app-2' })).toBe(fingerprintOf(cause));
  });

  it('computes the SARIF fingerprint by its own recipe: app id first, NUL-separated, only the method upper-cased, hash64', () => {
    const { method: _method, ...withoutMethod } = cause;
    expect(fingerprintText(cause, SARIF_ROOT_CAUSE_FINGERPRINT)).toBe(['app-1', cause.url, ' POST ', ' user', ' AAAA-01 ', ' SQLi_01 '].join('\u0000'));
    expect(fingerprintText(withoutMethod, SARIF_ROOT_CAUSE_FINGERPRINT)).toBe(['app-1', cause.url, '', ' user', ' AAAA-01 ', ' SQLi_01 '].join('\u0000'));
    expect(fingerprintOf(cause, SARIF_ROOT_CAUSE_FINGERPRINT)).toBe(hash64(fingerprintText(cause, SARIF_ROOT_CAUSE_FINGERPRINT)));
    expect(fingerprintOf({ ...cause, appId: 'app-2' }, SARIF_ROOT_CAUSE_FINGERPRINT)).not.toBe(fingerprintOf(cause, SARIF_ROOT_CAUSE_FINGERPRINT));
  });
});
