/**
 * The proxy that {@link createNodeFetch} without an explicit proxy (undici's EnvHttpProxyAgent) sends a request to
 * `url` through: `HTTPS_PROXY` (else `HTTP_PROXY`) for https, `HTTP_PROXY` for http, either case, unless `NO_PROXY`
 * names the host (`*`, a host name or `.suffix`, optionally with `:port`). `undefined` for a direct request. Hosts
 * use it to name a network failure as the proxy's; only its origin should ever be shown.
 */
export function proxyForUrl(url: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const target = new URL(url);
  const http = env.HTTP_PROXY ?? env.http_proxy;
  const proxy = target.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy ?? http) : http;
  if (proxy === undefined || proxy === '') return undefined;
  const host = target.hostname.toLowerCase();
  const bypass = (env.NO_PROXY ?? env.no_proxy ?? '').split(/[\s,]+/).filter(Boolean).some((entry) => {
    if (entry === '*') return true;
    const [name = '', port] = entry.toLowerCase().split(':');
    const bare = name.replace(/^\*?\./, '');
    return (port === undefined || port === target.port) && (host === bare || host.endsWith(`.${bare}`));
  });
  return bypass ? undefined : proxy;
}
