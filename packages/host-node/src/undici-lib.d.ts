// Types of the undici files `undici-parts.ts` loads one by one (undici types its entry only).
declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  import type { EnvHttpProxyAgent } from 'undici';
  const Agent: typeof EnvHttpProxyAgent;
  export default Agent;
}
declare module 'undici/lib/dispatcher/proxy-agent.js' {
  import type { ProxyAgent } from 'undici';
  const Agent: typeof ProxyAgent;
  export default Agent;
}
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';
  const P: typeof Pool;
  export default P;
}
declare module 'undici/lib/web/fetch/index.js' {
  import type { fetch as undiciFetch } from 'undici';
  export const fetch: typeof undiciFetch;
}
declare module 'undici/lib/api/index.js' {
  const api: Record<string, unknown>;
  export default api;
}
declare module 'undici/lib/dispatcher/dispatcher.js' {
  import type { Dispatcher } from 'undici';
  const D: typeof Dispatcher;
  export default D;
}
