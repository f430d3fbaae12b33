// Node.js implementations of @ias/core's effects, shared by the adapters.
export { createFileReportSink } from './file-sink';
export { createInterruptSignal } from './interrupt';
export type { InterruptSignal, SignalSource } from './interrupt';
export { createNodeFetch } from './node-fetch';
export type { ProxyOptions } from './node-fetch';
export { nodeRuntime } from './runtime';
export { listReportFiles } from './report-files';
export type { ReportFile } from './report-files';
export { createTracingFetch } from './tracing-fetch';
export { zipFiles } from './zip-files';
export type { ZipEntry } from './zip-files';
export { createDocumentationCache, documentationCacheIn, userCacheFolder } from './documentation-cache';
