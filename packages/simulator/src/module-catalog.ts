import type { ScenarioModule } from './scenario.js';

/** A module of the catalog plus what its findings look like. */
export interface CatalogModule {
  module: ScenarioModule;
  /** Severities its findings take, most common first. */
  severities: string[];
  /** Whether findings carry a request parameter (header checks do not). */
  parameterised: boolean;
  /** Parameter names, attack values and the variance message. */
  parameters: string[];
  attackValue: string;
  message: string;
  proof: string;
}

const OWASP = 'https://owasp.org/www-community/attacks/';
const CWE = (n: number): string => `https://cwe.mitre.org/data/definitions/${n}.html`;

/** Module ids of the catalog, `d0000000-0000-4000-8000-0000000000NN`. */
export function catalogModuleId(n: number): string {
  return `d0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Realistic scanner modules used by the demo scenario and by generateScenario. */
export const MODULE_CATALOG: readonly CatalogModule[] = [
  {
    module: {
      id: catalogModuleId(1),
      name: 'SQL Injection',
      description: 'Checks whether user input reaches a SQL statement without being escaped.',
      attacks: [
        { id: 'SQLI_ERROR_01', type: 'SQLInjection', class: 'Injection', description: 'Error-based SQL injection with a stray quote', documentation: { references: { 'OWASP SQL Injection': `${OWASP}SQL_Injection`, 'CWE-89': CWE(89) }, description: '<p>SQL injection lets an attacker read or change data by <b>injecting SQL</b> through an input.</p>', recommendation: 'Use parameterised queries or prepared statements; never build SQL from strings.' } },
        { id: 'SQLI_BLIND_02', type: 'BlindSQLInjection', class: 'Injection', description: 'Time-based blind SQL injection', documentation: { references: { 'OWASP Blind SQL Injection': `${OWASP}Blind_SQL_Injection`, 'CWE-89': CWE(89) }, description: '<p>The response time changed with an injected <code>SLEEP()</code>, so the input is evaluated as SQL.</p>', recommendation: 'Use parameterised queries; apply least privilege to the database account.' } },
      ],
    },
    severities: ['CRITICAL', 'HIGH'],
    parameterised: true,
    parameters: ['id', 'q', 'sort', 'category'],
    attackValue: "1' OR '1'='1",
    message: 'SQL error message found in the response',
    proof: 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version',
  },
  {
    module: {
      id: catalogModuleId(2),
      name: 'Cross-site Scripting',
      description: 'Checks whether input is reflected or stored into pages without encoding.',
      attacks: [
        { id: 'XSS_REFLECTED_01', type: 'ReflectedXSS', class: 'Injection', description: 'Reflected script injection', documentation: { references: { 'OWASP XSS': `${OWASP}xss/`, 'CWE-79': CWE(79) }, description: '<p>The page returns the injected <code>&lt;script&gt;</code> unencoded.</p>', recommendation: 'Encode output for its context and validate input; add a Content Security Policy.' } },
        { id: 'XSS_STORED_02', type: 'StoredXSS', class: 'Injection', description: 'Persistent script injection', documentation: { references: { 'OWASP XSS': `${OWASP}xss/`, 'CWE-79': CWE(79) }, description: '<p>Injected markup is stored and served to other users.</p>', recommendation: 'Encode stored content on output; sanitise rich text with an allow-list.' } },
      ],
    },
    severities: ['HIGH', 'MEDIUM'],
    parameterised: true,
    parameters: ['q', 'name', 'comment', 'redirect'],
    attackValue: '<script>alert(31337)</script>',
    message: 'Injected script was returned unencoded',
    proof: '<script>alert(31337)</script>',
  },
  {
    module: {
      id: catalogModuleId(3),
      name: 'X-Frame-Options',
      description: 'Checks that pages forbid framing by other sites (clickjacking).',
      attacks: [{ id: 'XFrameAttack_1', type: 'XFrameOptions', class: 'Best Practice', description: 'X-Frame-Options header missing', documentation: { references: { 'OWASP Clickjacking': `${OWASP}Clickjacking`, 'CWE-1021': CWE(1021) }, description: '<p>Without <code>X-Frame-Options</code> the page can be framed by any site.</p>', recommendation: 'Send X-Frame-Options: DENY (or SAMEORIGIN), or CSP frame-ancestors.' } }],
    },
    severities: ['LOW', 'INFORMATIONAL'],
    parameterised: false,
    parameters: [],
    attackValue: '',
    message: 'X-Frame-Options header not found',
    proof: 'HTTP/1.1 200 OK (no X-Frame-Options header)',
  },
  {
    module: {
      id: catalogModuleId(4),
      name: 'Content Security Policy',
      description: 'Checks the presence and strength of the Content-Security-Policy header.',
      attacks: [{ id: 'CSPHeaders_01', type: 'CSPHeaders', class: 'Best Practice', description: 'Content Security Policy missing or weak', documentation: { references: { 'MDN CSP': 'https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP', 'CWE-693': CWE(693) }, description: "<p>The policy is missing or allows <code>'unsafe-inline'</code>.</p>", recommendation: "Send a strict Content-Security-Policy without 'unsafe-inline' or wildcard sources." } }],
    },
    severities: ['MEDIUM', 'LOW'],
    parameterised: false,
    parameters: [],
    attackValue: '',
    message: 'Content-Security-Policy header not found',
    proof: 'HTTP/1.1 200 OK (no Content-Security-Policy header)',
  },
  {
    module: {
      id: catalogModuleId(5),
      name: 'X-Content-Type-Options',
      description: 'Checks that responses disable MIME sniffing.',
      attacks: [{ id: 'XContentTypeOptions_01', type: 'XContentTypeOptions', class: 'Best Practice', description: 'X-Content-Type-Options header missing', documentation: { references: { 'MDN X-Content-Type-Options': 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Content-Type-Options' }, description: '<p>Browsers may sniff the content type and run uploaded content as script.</p>', recommendation: 'Send X-Content-Type-Options: nosniff on every response.' } }],
    },
    severities: ['INFORMATIONAL'],
    parameterised: false,
    parameters: [],
    attackValue: '',
    message: 'X-Content-Type-Options header not found',
    proof: 'HTTP/1.1 200 OK (no X-Content-Type-Options header)',
  },
  {
    module: {
      id: catalogModuleId(6),
      name: 'Strict-Transport-Security',
      description: 'Checks that HTTPS sites send HSTS.',
      attacks: [{ id: 'HSTS_01', type: 'StrictTransportSecurity', class: 'Best Practice', description: 'HSTS header missing or short max-age', documentation: { references: { 'OWASP HSTS Cheat Sheet': 'https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html', 'CWE-523': CWE(523) }, description: '<p>Without HSTS a network attacker can downgrade users to HTTP.</p>', recommendation: 'Send Strict-Transport-Security: max-age=31536000; includeSubDomains.' } }],
    },
    severities: ['LOW'],
    parameterised: false,
    parameters: [],
    attackValue: '',
    message: 'Strict-Transport-Security header not found',
    proof: 'HTTP/1.1 200 OK (no Strict-Transport-Security header)',
  },
  {
    module: {
      id: catalogModuleId(7),
      name: 'Cookie Security',
      description: 'Checks session cookies for the Secure, HttpOnly and SameSite attributes.',
      attacks: [
        { id: 'COOKIE_SECURE_01', type: 'SecureCookie', class: 'Best Practice', description: 'Cookie without the Secure flag', documentation: { references: { 'CWE-614': CWE(614) }, description: '<p>The cookie can travel over plain HTTP.</p>', recommendation: 'Set the Secure attribute on every cookie.' } },
        { id: 'COOKIE_HTTPONLY_02', type: 'HttpOnlyCookie', class: 'Best Practice', description: 'Cookie without the HttpOnly flag', documentation: { references: { 'CWE-1004': CWE(1004) }, description: '<p>Scripts can read the session cookie.</p>', recommendation: 'Set HttpOnly on session cookies.' } },
      ],
    },
    severities: ['MEDIUM', 'LOW'],
    parameterised: true,
    parameters: ['JSESSIONID', 'session', 'cart_token'],
    attackValue: '',
    message: 'Session cookie set without the Secure and HttpOnly attributes',
    proof: 'Set-Cookie: session=8c1f2a; Path=/',
  },
  {
    module: {
      id: catalogModuleId(8),
      name: 'Browser Cache',
      description: 'Checks that sensitive pages are not cached by browsers.',
      attacks: [{ id: 'BROWSERCACHECHECK01', type: 'BrowserCache', class: 'Information', description: 'Sensitive page cacheable', documentation: { references: { 'CWE-525': CWE(525) }, description: '<p>The page lacks <code>Cache-Control: no-store</code>.</p>', recommendation: 'Send Cache-Control: no-store on pages with personal data.' } }],
    },
    severities: ['INFORMATIONAL', 'SAFE'],
    parameterised: false,
    parameters: [],
    attackValue: '',
    message: 'Cache-Control header allows caching',
    proof: 'Cache-Control: public, max-age=3600',
  },
  {
    module: {
      id: catalogModuleId(9),
      name: 'Cross-Site Request Forgery',
      description: 'Checks that state-changing forms carry an anti-CSRF token.',
      attacks: [{ id: 'CSRF_01', type: 'CSRF', class: 'Session Management', description: 'Form without anti-CSRF token', documentation: { references: { 'OWASP CSRF': `${OWASP}csrf`, 'CWE-352': CWE(352) }, description: '<p>The form can be submitted from another site.</p>', recommendation: 'Add a synchroniser token or use SameSite=Strict cookies.' } }],
    },
    severities: ['MEDIUM'],
    parameterised: true,
    parameters: ['email', 'amount', 'address'],
    attackValue: '',
    message: 'The form has no anti-CSRF token',
    proof: '<form method="POST" action="/account/email">',
  },
  {
    module: {
      id: catalogModuleId(10),
      name: 'OS Commanding',
      description: 'Checks whether input reaches an operating-system command.',
      attacks: [{ id: 'OSCMD_01', type: 'OSCommandInjection', class: 'Injection', description: 'Command injection through a shell separator', documentation: { references: { 'OWASP Command Injection': `${OWASP}Command_Injection`, 'CWE-78': CWE(78) }, description: '<p>The injected <code>;id</code> ran on the server.</p>', recommendation: 'Never pass input to a shell; use argument arrays and allow-lists.' } }],
    },
    severities: ['CRITICAL'],
    parameterised: true,
    parameters: ['host', 'file', 'format'],
    attackValue: ';id',
    message: 'Command output found in the response',
    proof: 'uid=33(www-data) gid=33(www-data)',
  },
  {
    module: {
      id: catalogModuleId(11),
      name: 'Path Traversal',
      description: 'Checks whether file paths built from input can leave the web root.',
      attacks: [{ id: 'PATHTRAV_01', type: 'PathTraversal', class: 'Injection', description: 'Directory traversal with ../ sequences', documentation: { references: { 'OWASP Path Traversal': `${OWASP}Path_Traversal`, 'CWE-22': CWE(22) }, description: '<p>The response contained <code>/etc/passwd</code>.</p>', recommendation: 'Resolve paths against a fixed root and reject anything outside it.' } }],
    },
    severities: ['HIGH'],
    parameterised: true,
    parameters: ['file', 'template', 'image'],
    attackValue: '../../../../etc/passwd',
    message: 'File contents of /etc/passwd found in the response',
    proof: 'root:x:0:0:root:/root:/bin/bash',
  },
  {
    module: {
      id: catalogModuleId(12),
      name: 'Server-Side Request Forgery',
      description: 'Checks whether the server fetches URLs chosen by the client.',
      attacks: [{ id: 'SSRF_01', type: 'SSRF', class: 'Injection', description: 'Server fetched an attacker-chosen URL', documentation: { references: { 'OWASP SSRF': `${OWASP}Server_Side_Request_Forgery`, 'CWE-918': CWE(918) }, description: '<p>The server requested the scanner\'s callback host.</p>', recommendation: 'Allow-list outbound destinations; block link-local and metadata addresses.' } }],
    },
    severities: ['CRITICAL', 'HIGH'],
    parameterised: true,
    parameters: ['url', 'webhook', 'avatar_url'],
    attackValue: 'http://169.254.169.254/latest/meta-data/',
    message: 'The server fetched the injected URL',
    proof: 'ami-id\ninstance-id\nlocal-ipv4',
  },
  {
    module: {
      id: catalogModuleId(13),
      name: 'Information Disclosure',
      description: 'Looks for stack traces, version banners and internal addresses in responses.',
      attacks: [
        { id: 'INFO_BANNER_01', type: 'ServerBanner', class: 'Information', description: 'Server version banner', documentation: { references: { 'CWE-200': CWE(200) }, description: '<p>The <code>Server</code> header reveals the exact version.</p>', recommendation: 'Remove version numbers from Server and X-Powered-By headers.' } },
        { id: 'INFO_STACKTRACE_02', type: 'StackTrace', class: 'Information', description: 'Stack trace in an error page', documentation: { references: { 'CWE-209': CWE(209) }, description: '<p>An error page shows a stack trace.</p>', recommendation: 'Show generic error pages; log details on the server only.' } },
      ],
    },
    severities: ['LOW', 'INFORMATIONAL', 'SAFE'],
    parameterised: false,
    parameters: [],
    attackValue: '',
    message: 'Server version disclosed',
    proof: 'Server: Apache/2.4.41 (Ubuntu)',
  },
  {
    module: {
      id: catalogModuleId(14),
      name: 'Open Redirect',
      description: 'Checks whether redirects follow an attacker-chosen target.',
      attacks: [{ id: 'OPENREDIR_01', type: 'OpenRedirect', class: 'Client Side', description: 'Redirect to an external host', documentation: { references: { 'CWE-601': CWE(601) }, description: '<p>The <code>Location</code> header points at the injected host.</p>', recommendation: 'Redirect only to relative paths or an allow-list of hosts.' } }],
    },
    severities: ['MEDIUM', 'LOW'],
    parameterised: true,
    parameters: ['next', 'returnUrl', 'redirect'],
    attackValue: 'https://evil.example/',
    message: 'Redirect to the injected external URL',
    proof: 'Location: https://evil.example/',
  },
];

/** CVSS v3 vectors (without the `CVSS:3.x/` prefix) and scores typical of each severity. */
export const SEVERITY_PROFILE: Readonly<Record<string, { vector: string; score: number }>> = {
  CRITICAL: { vector: 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
  HIGH: { vector: 'AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:L/A:N', score: 8.2 },
  MEDIUM: { vector: 'AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N', score: 5.4 },
  LOW: { vector: 'AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', score: 3.1 },
  INFORMATIONAL: { vector: 'AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N', score: 0.0 },
  SAFE: { vector: 'AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:N', score: 0.0 },
};
