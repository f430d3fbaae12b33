export { createSimulator, connectionResetError } from './simulator.js';
export type { SimApp, SimScan, SimScanConfig, SimulatorListener, SimulatorOptions, Simulator, SimVulnerability } from './simulator.js';
export { createManualClock, createRealClock } from './clock.js';
export type { ManualClock, SimClock } from './clock.js';
export { routeOf } from './route-names.js';
export { FAULT_KINDS } from './fault-rules.js';
export type { FaultKind, FaultRule } from './fault-rules.js';
export type { RequestCounters } from './request-counters.js';
export type { ListenOptions } from './http-listener.js';
export { GENERATED_IDS, generateScenario } from './generate-scenario.js';
export { DEMO_IDS, DEMO_SCAN_SECONDS } from './demo-ids.js';
export type { GenerateScenarioOptions } from './generate-scenario.js';
export { listScenarios, loadScenario } from './load-scenario.js';
export { DEFAULT_TIMELINE, assertScenario } from './scenario.js';
export type {
  Scenario,
  ScenarioApp,
  ScenarioAttack,
  ScenarioAttackDocumentation,
  ScenarioExchange,
  ScenarioFinding,
  ScenarioModule,
  ScenarioScanConfig,
  ScenarioVariance,
  TimelineStep,
  TransitionSeconds,
} from './scenario.js';
export { formatApiDate, parseApiDate } from './api-date.js';
export { AZURE_ROUTES, azureRouteOf, createAzureFake, SUPPORTED_API_VERSIONS } from './azure/azure-fake.js';
export type { AzureFake, AzureFakeOptions, AzureFaultRule, AzureRequestRecord, AzureRoute } from './azure/azure-fake.js';
export { AZURE_FAKE_IDS, defaultAzureFixture, echoApiOpenApi3, twoSubscriptionFixture, workspaceFixture } from './azure/azure-fixtures.js';
export type { AzureFixture, FakeApi, FakeService, FakeSpec } from './azure/azure-fixtures.js';
