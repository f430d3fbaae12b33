import { describe, expect, it } from 'vitest';
import { scanUiUrl } from './scan-link';

const APP = 'a0000000-0000-4000-8000-000000000001';
const CONFIG = 'c0000000-0000-4000-8000-000000000001';
const SCAN = '9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff';

describe('scanUiUrl', () => {
  it('builds the scan page from the organisation address of a finding link, as the official GitHub action does', () => {
    // The vulnerability link form seen in public material.
    const finding = `https://us.appsec.insight.rapid7.com/op/6B621519A4C63B28E041/#/vulnerabilities?filterText=vulnerability.id%20%3D%20%27${SCAN}%27&showVulnDetails=true`;
    expect(scanUiUrl(finding, APP, CONFIG, SCAN)).toBe(`https://us.appsec.insight.rapid7.com/op/6B621519A4C63B28E041/#/apps/${APP}/configuration/${CONFIG}/scan/${SCAN}`);
    expect(scanUiUrl(`https://eu.appsec.insight.rapid7.com/op/EFDDABB098A0A4496D6B/#/apps/${APP}`, APP, CONFIG, SCAN)).toBe(
      `https://eu.appsec.insight.rapid7.com/op/EFDDABB098A0A4496D6B/#/apps/${APP}/configuration/${CONFIG}/scan/${SCAN}`,
    );
  });

  it.each([
    ['no link', undefined],
    ['null', null],
    ['not a URL', 'www.example.com/123#123'],
    ['the old guessed form', 'https://insight.rapid7.com/insightappsec/#/apps/x'],
    ['plain http', 'http://us.appsec.insight.rapid7.com/op/ABC/#/x'],
    ['another host', 'https://us.appsec.insight.rapid7.com.evil.example/op/ABC/#/x'],
    ['credentials', 'https://user:pw@us.appsec.insight.rapid7.com/op/ABC/#/x'],
    ['a port', 'https://us.appsec.insight.rapid7.com:8443/op/ABC/#/x'],
    ['no organisation', 'https://us.appsec.insight.rapid7.com/#/x'],
    ['markup in the path', 'https://us.appsec.insight.rapid7.com/op/<script>/#/x'],
    ['a longer path', 'https://us.appsec.insight.rapid7.com/op/ABC/extra/#/x'],
  ])('gives no link for %s', (_label, link) => {
    expect(scanUiUrl(link, APP, CONFIG, SCAN)).toBeUndefined();
  });

  it('encodes ids and gives no link without them', () => {
    const base = 'https://us.appsec.insight.rapid7.com/op/ABC/#/x';
    expect(scanUiUrl(base, 'a b', CONFIG, SCAN)).toBe(`https://us.appsec.insight.rapid7.com/op/ABC/#/apps/a%20b/configuration/${CONFIG}/scan/${SCAN}`);
    expect(scanUiUrl(base, '', CONFIG, SCAN)).toBeUndefined();
  });
});
