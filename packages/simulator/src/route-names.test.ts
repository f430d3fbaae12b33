import { describe, expect, it } from 'vitest';
import { routeOf } from './route-names.js';

describe('routeOf', () => {
  it.each([
    ['POST', '/ias/v1/search', 'POST /search'],
    ['get', '/ias/v1/scans/8b32a979-e387-41f7-88d8-ac9c8ee5731b', 'GET /scans/{id}'],
    ['POST', '/ias/v1/scans', 'POST /scans'],
    ['GET', '/ias/v1/modules', 'GET /modules'],
    ['GET', '/ias/v1/modules/d0000000-0000-4000-8000-000000000001', 'GET /modules/{id}'],
    ['GET', '/ias/v1/modules/m1/attacks/XFrameAttack_1', 'GET /modules/{id}/attacks/{id}'],
    ['GET', '/ias/v1/modules/m1/attacks/XFrameAttack_1/documentation', 'GET /modules/{id}/attacks/{id}/documentation'],
    ['PUT', '/ias/v1/scans/abc/action', 'PUT /scans/{id}/action'],
    ['GET', '/ias/v1/apps', 'GET /apps'],
    ['GET', '/ias/v1/apps/', 'GET /apps'],
    ['PUT', '/ias/v1/scan-configs/x/options', 'PUT /scan-configs/{id}/options'],
    ['GET', '/validate', 'GET /validate'],
    ['DELETE', '/ias/v1/nothing/8b32a979-e387-41f7-88d8-ac9c8ee5731b', 'DELETE /nothing/{id}'],
  ])('%s %s is counted as %s', (method, path, route) => {
    expect(routeOf(method, path)).toBe(route);
  });
});
