import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from './logger';
import { ChatMetrics } from './metrics';
import { handleOpsRequest, type OpsDeps } from './ops-routes';

const ADMIN = 'admin-token-0123456789';
const METRICS = 'metrics-token-0123456789';

async function serve(overrides: Partial<OpsDeps> = {}) {
  const announced: string[] = [];
  const deps: OpsDeps = {
    logger: silentLogger,
    metrics: new ChatMetrics({
      connectedSockets: () => 3,
      counts: async () => ({ rooms: 2, members: 5 }),
    }),
    readinessChecks: { store: async () => {} },
    metricsToken: undefined,
    adminToken: ADMIN,
    announce: (text) => announced.push(text),
    readOnlyPages: true,
    ...overrides,
  };
  const server = createServer((req, res) => {
    if (!handleOpsRequest(req, res, deps)) res.writeHead(404).end('page');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, announced, close: () => server.close() };
}

describe('operations endpoints', () => {
  let close = () => {};
  afterEach(() => close());

  it('refuses methods other than GET and HEAD for pages, unless told not to', async () => {
    const app = await serve();
    close = app.close;
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${app.base}/rooms/k3vq-8m2x-d7tp`, { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    expect((await fetch(`${app.base}/`)).status).toBe(404);
    app.close();
    const dev = await serve({ readOnlyPages: false });
    close = dev.close;
    expect((await fetch(`${dev.base}/`, { method: 'POST' })).status).toBe(404);
  });

  it('/healthz says the process is up', async () => {
    const app = await serve();
    close = app.close;
    const response = await fetch(`${app.base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/health answers as /healthz does', async () => {
    const app = await serve();
    close = app.close;
    const response = await fetch(`${app.base}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 when every dependency answers, 503 naming the one that does not', async () => {
    const app = await serve({
      readinessChecks: {
        store: async () => {},
        redis: async () => {
          throw new Error('ECONNREFUSED');
        },
      },
    });
    close = app.close;
    const response = await fetch(`${app.base}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ store: 'ok', redis: 'unreachable' });
  });

  it('/metrics serves Prometheus text with chat and process metrics', async () => {
    const app = await serve();
    close = app.close;
    const text = await (await fetch(`${app.base}/metrics`)).text();
    expect(text).toContain('livechat_connected_sockets 3');
    expect(text).toContain('livechat_rooms 2');
    expect(text).toContain('livechat_members 5');
    expect(text).toContain('# TYPE livechat_ack_latency_seconds histogram');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('/metrics needs the bearer token when METRICS_TOKEN is set', async () => {
    const app = await serve({ metricsToken: METRICS });
    close = app.close;
    expect((await fetch(`${app.base}/metrics`)).status).toBe(401);
    const authorised = await fetch(`${app.base}/metrics`, {
      headers: { authorization: `Bearer ${METRICS}` },
    });
    expect(authorised.status).toBe(200);
  });

  it('/admin/announce takes {text} with the admin token, and refuses everything else', async () => {
    const app = await serve();
    close = app.close;
    const post = (body: string, token = ADMIN) =>
      fetch(`${app.base}/admin/announce`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
    expect((await post(JSON.stringify({ text: ' Maintenance at 22:00 ' }))).status).toBe(202);
    expect(app.announced).toEqual(['Maintenance at 22:00']);
    expect((await post(JSON.stringify({ text: 'x' }), 'wrong-token-0123456789')).status).toBe(401);
    expect((await post('not json')).status).toBe(400);
    expect((await post(JSON.stringify({ text: '' }))).status).toBe(400);
    expect((await post(JSON.stringify({ text: 'x'.repeat(20_000) }))).status).toBe(400);
    expect((await fetch(`${app.base}/admin/announce`)).status).toBe(405);
    expect(app.announced).toHaveLength(1);
  });

  it('/admin/announce does not exist without ADMIN_TOKEN', async () => {
    const app = await serve({ adminToken: undefined });
    close = app.close;
    const response = await fetch(`${app.base}/admin/announce`, { method: 'POST', body: '{}' });
    // Answered like a POST to any page address: nothing there takes one.
    expect(response.status).toBe(405);
    expect(app.announced).toEqual([]);
    expect(await (await fetch(`${app.base}/admin/announce`)).text()).toBe('page');
  });
});
