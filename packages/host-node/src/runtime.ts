/** The runtime part of the User-Agent: `node/20.20.2; linux`. */
export function nodeRuntime(): string {
  return `node/${process.versions.node}; ${process.platform}`;
}
