import { FINDINGS_FILE, type ReportSink } from '@ias/core';

const UI_URL = /"insight_ui_url"\s*:\s*"((?:[^"\\]|\\.)*)"/;

/** A report sink that notices the first `insight_ui_url` written into the findings report. */
export interface UiLinkWatcher {
  sink: ReportSink;
  /** The UI's address up to `#`, once a finding has shown it. */
  uiPrefix(): string | undefined;
}

/**
 * Wraps `sink` to read the InsightAppSec UI address off the findings as they stream past, so the `scan-findings`
 * output can carry the official action's `scanLink` without a second pass over the findings.
 */
export function watchUiLink(sink: ReportSink): UiLinkWatcher {
  let prefix: string | undefined;
  const spool = sink.createSpool?.bind(sink);
  return {
    uiPrefix: () => prefix,
    sink: {
      ...(spool === undefined ? {} : { createSpool: spool }),
      async create(name) {
        const writer = await sink.create(name);
        if (name !== FINDINGS_FILE) return writer;
        let tail = '';
        return {
          path: writer.path,
          async write(chunk) {
            if (prefix === undefined) {
              const text = tail + chunk;
              const found = UI_URL.exec(text)?.[1];
              if (found !== undefined) {
                const url = decodeJsonString(found);
                const cut = url?.split('#')[0];
                if (cut !== undefined && /^https?:\/\//.test(cut)) prefix = cut;
              }
              tail = text.slice(-512);
            }
            await writer.write(chunk);
          },
          close: () => writer.close(),
        };
      },
    },
  };
}

/** The official action's scan link: the UI prefix, then the app, configuration and scan. */
export function scanLink(prefix: string, appId: string, scanConfigId: string, scanId: string): string {
  return `${prefix}#/apps/${appId}/configuration/${scanConfigId}/scan/${scanId}`;
}

function decodeJsonString(body: string): string | undefined {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return undefined;
  }
}
