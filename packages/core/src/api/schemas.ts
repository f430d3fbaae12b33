import * as z from 'zod';

/*
 * Lenient response schemas: unknown fields pass through (the API grows) and enum-like fields are plain
 * strings, so a status or severity the API never returned before is kept, not rejected.
 */

const link = z.looseObject({ rel: z.string(), href: z.string().nullish() });

/** A `{rel, href}` link as the API returns it. */
export type Link = z.infer<typeof link>;

const reference = z.looseObject({ id: z.string() });

export const appSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
});

/** An application. */
export type App = z.infer<typeof appSchema>;

export const scanConfigSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  app: reference.nullish(),
  attack_template: reference.nullish(),
  errors: z.array(z.string()).nullish(),
});

/** A scan configuration. */
export type ScanConfig = z.infer<typeof scanConfigSchema>;

export const scanSchema = z.looseObject({
  id: z.string(),
  app: reference.nullish(),
  scan_config: reference.nullish(),
  submit_time: z.string().nullish(),
  completion_time: z.string().nullish(),
  status: z.string(),
  failure_reason: z.string().nullish(),
  scan_type: z.string().nullish(),
});

/** A scan. `status` and `failure_reason` are open strings: unknown values are kept. */
export type Scan = z.infer<typeof scanSchema>;

const variance = z.looseObject({
  id: z.string().nullish(),
  module: reference.nullish(),
  attack: reference.nullish(),
  message: z.string().nullish(),
  proof: z.string().nullish(),
  proof_description: z.string().nullish(),
  original_value: z.string().nullish(),
  attack_value: z.string().nullish(),
});

/** One variance of a vulnerability: the module and attack that found it, with evidence. */
export type Variance = z.infer<typeof variance>;

export const vulnerabilitySchema = z.looseObject({
  id: z.string(),
  app: reference.nullish(),
  root_cause: z
    .looseObject({ url: z.string().nullish(), parameter: z.string().nullish(), method: z.string().nullish() })
    .nullish(),
  severity: z.string(),
  status: z.string().nullish(),
  first_discovered: z.string().nullish(),
  last_discovered: z.string().nullish(),
  newly_discovered: z.boolean().nullish(),
  vector_string: z.string().nullish(),
  vulnerability_score: z.number().nullish(),
  insight_ui_url: z.string().nullish(),
  variances: z.array(variance).nullish(),
});

/** A vulnerability as the API returns it (snake_case, unknown fields kept). */
export type Vulnerability = z.infer<typeof vulnerabilitySchema>;

export const moduleSchema = z.looseObject({ id: z.string(), name: z.string(), description: z.string().nullish() });

/** A scanner module. */
export type Module = z.infer<typeof moduleSchema>;

export const attackSchema = z.looseObject({
  id: z.string(),
  type: z.string().nullish(),
  class: z.string().nullish(),
  description: z.string().nullish(),
});

/** An attack of a module. */
export type Attack = z.infer<typeof attackSchema>;

export const attackDocumentationSchema = z.looseObject({
  references: z.record(z.string(), z.string()).nullish(),
  description: z.string().nullish(),
  recommendation: z.string().nullish(),
});

/** The documentation of an attack: description (may hold HTML), recommendation and references. */
export type AttackDocumentation = z.infer<typeof attackDocumentationSchema>;

export const executionDetailsSchema = z.looseObject({
  logged_in: z.boolean().nullish(),
  links_in_queue: z.number().nullish(),
  links_crawled: z.number().nullish(),
  attacks_in_queue: z.number().nullish(),
  attacked: z.number().nullish(),
  vulnerable: z.number().nullish(),
  requests: z.number().nullish(),
  failed_requests: z.number().nullish(),
  network_speed: z.number().nullish(),
  drip_delay: z.number().nullish(),
});

/** Live counters of a running scan. */
export type ExecutionDetails = z.infer<typeof executionDetailsSchema>;

export const pageMetadataSchema = z.looseObject({
  index: z.number().nullish(),
  size: z.number().nullish(),
  total_data: z.number().nullish(),
  total_pages: z.number().nullish(),
  page_token: z.string().nullish(),
});

/** The envelope of every paginated response; items are validated one by one by the caller. */
export const pageSchema = z.looseObject({
  data: z.array(z.unknown()),
  metadata: pageMetadataSchema.nullish(),
  links: z.array(link).nullish(),
});

/** A raw page: `data` still unvalidated. */
export type RawPage = z.infer<typeof pageSchema>;

/** The error body of a 4xx/5xx answer; every field optional (a gateway 401 may carry only `message`). */
export const errorBodySchema = z.looseObject({
  status: z.union([z.number(), z.string()]).nullish(),
  message: z.string().nullish(),
  error_code: z.string().nullish(),
  errors: z
    .array(z.looseObject({ type: z.string().nullish(), context: z.string().nullish(), explanation: z.string().nullish() }))
    .nullish(),
});
