// The export formats alone, apart from the export code and what it imports (yaml): a CLI's `--help` lists them.

/** Which definition to ask APIM for. `auto`: OpenAPI 3 JSON, then Swagger 2. */
export type ExportFormat = 'auto' | 'openapi3' | 'swagger2';

export const EXPORT_FORMATS = ['auto', 'openapi3', 'swagger2'] as const;
