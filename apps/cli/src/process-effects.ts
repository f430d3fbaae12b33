// The host effects start.ts builds at their first use, through deferred.ts: this module is loaded with import(), so
// host-node's fetch and documentation cache (and what they import) are a chunk apart from the entry.
export { createDocumentationCache, createNodeFetch } from '@ias/host-node';
