// Node.js implementations of @ias/core's effects, shared by the adapters.
export { createFileReportSink } from './file-sink';
export { createInterruptSignal, INTERRUPT_GRACE_MS } from './interrupt';
export type { InterruptSignal, SignalSource } from './interrupt';
export { closeNodeFetches, createNodeFetch, proxyProblem } from './node-fetch';
export { proxyForUrl } from './proxy-for-url';
export { exitWithVerdict, EXIT_GRACE_MS } from './exit-process';
export type { ExitTarget } from './exit-process';
export type { ProxyOptions } from './node-fetch';
export { nodeRuntime } from './runtime';
export { listReportFiles } from './report-files';
export type { ReportFile } from './report-files';
export { createTracingFetch } from './tracing-fetch';
export { zipFiles } from './zip-files';
export type { ZipEntry } from './zip-files';
export { createDocumentationCache, documentationCacheIn, userCacheFolder } from './documentation-cache';
export { createFolderDiscoveryFiles, runDiscoverySync } from './discovery-sync';
export type { DiscoverySyncResult, DiscoverySyncSettings } from './discovery-sync';
