import type { Request, Response, Server } from 'restify';
import type { Metrics } from '../metrics';

/** Named readiness checks; the service is ready when every one is true. */
export type ReadinessChecks = () => Record<string, boolean>;

/**
 * Adds `GET /healthz` (200 while the process serves requests), `GET /readyz` (200 when every readiness check
 * passes, else 503) and `GET /metrics` (Prometheus text format).
 */
export function addOperationsRoutes(server: Server, metrics: Metrics, readiness: ReadinessChecks) {
  server.get('/healthz', async (_req: Request, res: Response) => {
    sendJson(res, 200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    const checks = readiness();
    const ready = Object.values(checks).every(Boolean);
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
  });

  server.get('/metrics', async (_req: Request, res: Response) => {
    const body = await metrics.registry.metrics();
    res.sendRaw(200, body, {
      'Content-Type': metrics.registry.contentType,
      'Content-Length': String(Buffer.byteLength(body)),
    });
  });
}

function sendJson(res: Response, status: number, value: object): void {
  const body = JSON.stringify(value);
  res.sendRaw(status, body, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
  });
}
