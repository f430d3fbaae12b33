/** Well-known ids of the built-in `demo` scenario (also listed in the package README). */
export const DEMO_IDS = {
  /** App "Demo Shop". */
  shop: 'a0000000-0000-4000-8000-000000000001',
  /** App "Payments API". */
  payments: 'a0000000-0000-4000-8000-000000000002',
  /** Config "Full" (Demo Shop): 40 findings. */
  full: 'c0000000-0000-4000-8000-000000000001',
  /** Config "Full Audit" (Demo Shop): 44 findings, the 40 of "Full" plus 4. */
  fullAudit: 'c0000000-0000-4000-8000-000000000002',
  /** Config "Bob's nightly" (Demo Shop): 12 critical and high findings. */
  bobsNightly: 'c0000000-0000-4000-8000-000000000003',
  /** Config "Swagger import" (Demo Shop): FAILED with SWAGGER_PARSING_ERROR after 5 minutes. */
  swagger: 'c0000000-0000-4000-8000-000000000004',
  /** Config "Payments API Full" (Payments API): 16 findings. */
  paymentsFull: 'c0000000-0000-4000-8000-000000000005',
  /** Config "Payments smoke" (Payments API): completes in 5 minutes with no findings. */
  paymentsSmoke: 'c0000000-0000-4000-8000-000000000006',
  /** Config "Payments staging" (Payments API): has errors, so POST /scans answers 422. */
  paymentsStaging: 'c0000000-0000-4000-8000-000000000007',
  /** Module "SQL Injection". */
  sqlInjection: 'd0000000-0000-4000-8000-000000000001',
  /** Module "X-Frame-Options". */
  xFrameOptions: 'd0000000-0000-4000-8000-000000000003',
} as const;

/** Seconds of scenario time a default demo scan takes from submission to COMPLETE. */
export const DEMO_SCAN_SECONDS = 1200;
