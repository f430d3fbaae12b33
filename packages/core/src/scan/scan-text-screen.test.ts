import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScanDataScrubber, createScanTextScreen } from './collect-findings';
import { mayHoldSecretHeaders, redactVulnerabilityExchanges } from './redact-http-secrets';

// Seeded (project rule): a failure prints its seed; IAS_FUZZ_SEED=<seed> replays it.
const SEED = Number(process.env['IAS_FUZZ_SEED'] ?? 20_261_202);
const KEY = 'a1b2c3d4-0000-4000-8000-feedfacecafe';

describe('createScanTextScreen', () => {
  const screen = createScanTextScreen([KEY]);

  it('passes plain scan data and stops any item that holds the key, an escape or a surrogate', () => {
    expect(screen(JSON.stringify({ url: 'https://app.test/a?b=1', evidence: 'line\nnext "quoted"' }))).toBe(true);
    expect(screen(JSON.stringify({ evidence: `token ${KEY}` }))).toBe(false);
    expect(screen(JSON.stringify({ evidence: `token ${encodeURIComponent('k y/+1234')}` }))).toBe(true);
    expect(screen(`{"evidence":"${KEY.replace('a', '\\u0061')}"}`)).toBe(false);
    expect(screen('{"evidence":"\\ud800"}')).toBe(false);
    expect(screen(JSON.stringify({ evidence: '😀' }))).toBe(false);
    expect(screen(JSON.stringify({ [KEY]: 1 }))).toBe(false);
  });

  it('screens against the URL-encoded key too, and never passes anything when a secret holds a character JSON may escape', () => {
    const spaced = createScanTextScreen(['secret value+1']);
    expect(spaced(JSON.stringify({ q: 'x=secret%20value%2B1' }))).toBe(false);
    const slashed = createScanTextScreen(['abc/def']);
    expect(slashed(JSON.stringify({ q: 'nothing here' }))).toBe(false);
    expect(createScanTextScreen([])(JSON.stringify({ q: 'anything' }))).toBe(true);
  });

  it('passes an item only when scrubbing it would change nothing (property)', () => {
    const scrub = createScanDataScrubber([KEY]);
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom(KEY, KEY.slice(0, 9), encodeURIComponent(KEY), '\ud800', '\udc00x', '/', '\\', '"'),
    );
    const text = fc.array(piece, { maxLength: 4 }).map((parts) => parts.join(''));
    const value = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(text, tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (item) => {
        const json = JSON.stringify(item);
        if (json === undefined || !screen(json)) return;
        const parsed: unknown = JSON.parse(json);
        expect(scrub(parsed)).toBe(parsed);
      }),
      { numRuns: 2_000, seed: SEED },
    );
  });
});

describe('mayHoldSecretHeaders', () => {
  const names = ['Host', 'Accept', 'Cookie', 'set-cookie', 'Authorization', 'X-Api-Key', 'X-Session-Id', 'Content-Type', 'X-Trace'];
  const message = fc
    .array(fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 8 })), { maxLength: 4 })
    .map((headers) => `GET / HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\nbody`);
  const exchange = fc.oneof(
    message,
    fc.record({ request: message, response: message }),
    fc.record({ headers: fc.dictionary(fc.constantFrom(...names), fc.string({ maxLength: 6 }), { maxKeys: 3 }) }),
  );
  const vulnerability = fc.record({
    id: fc.uuid(),
    severity: fc.constantFrom('LOW', 'HIGH'),
    variances: fc.array(fc.record({ original_exchange: exchange, attack_exchanges: fc.array(exchange, { maxLength: 2 }) }, { requiredKeys: [] }), { maxLength: 2 }),
  });

  it('answers false only for findings whose HTTP exchanges redaction leaves as they are (property)', () => {
    let skipped = 0;
    fc.assert(
      fc.property(vulnerability, (generated) => {
        const json = JSON.stringify(generated);
        if (mayHoldSecretHeaders(json)) return;
        // Findings are JSON.parse's output.
        const v = JSON.parse(json) as typeof generated;
        skipped += 1;
        expect(redactVulnerabilityExchanges(v)).toStrictEqual(v);
      }),
      { numRuns: 1_000, seed: SEED },
    );
    expect(skipped).toBeGreaterThan(50);
  });

  it('answers true for a secret header name, in any case, and for any escape', () => {
    expect(mayHoldSecretHeaders(JSON.stringify({ request: 'GET / HTTP/1.1\r\ncOOkie: a=1\r\n\r\n' }))).toBe(true);
    expect(mayHoldSecretHeaders('{"request":"GET / HTTP/1.1\\r\\n\\u0043ookie: a=1"}')).toBe(true);
    expect(mayHoldSecretHeaders(JSON.stringify({ request: 'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n' }))).toBe(false);
  });
});
