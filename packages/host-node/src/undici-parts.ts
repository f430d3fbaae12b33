// The declarations travel with this file to every package that compiles host-node from source.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./undici-lib.d.ts" />
import api from 'undici/lib/api/index.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import Pool from 'undici/lib/dispatcher/pool.js';
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';
import { fetch } from 'undici/lib/web/fetch/index.js';

/**
 * The parts of undici a proxied fetch uses, loaded file by file. undici's own entry also loads its mock agents,
 * WebSocket, EventSource, cache storage and cookie helpers; bundled, they were about a quarter of each adapter's
 * bundle and never ran (every bundle stays under 1 MB, tooling/bench).
 */
export { EnvHttpProxyAgent, fetch, Pool, ProxyAgent };

// What undici's entry does on load, and its dispatchers rely on: a proxy agent opens its tunnel with `connect`.
Object.assign(Dispatcher.prototype, api);
