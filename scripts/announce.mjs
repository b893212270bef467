// Sends an operator announcement to everyone connected: npm run announce -- "text".
// Needs the server's ADMIN_TOKEN; LIVECHAT_URL (default http://localhost:$PORT) says where.
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');
const text = process.argv.slice(2).join(' ').trim();
const token = process.env.ADMIN_TOKEN;
const base = process.env.LIVECHAT_URL ?? `http://localhost:${process.env.PORT || 3000}`;

if (!text) {
  console.error('Usage: npm run announce -- "the announcement"');
  process.exit(2);
}
if (!token) {
  console.error('Set ADMIN_TOKEN to the token the server was started with.');
  process.exit(2);
}

try {
  const response = await fetch(new URL('/admin/announce', base), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    console.error(`Refused (${response.status}): ${body.error ?? response.statusText}`);
    process.exit(1);
  }
  console.log('Announcement sent.');
} catch (error) {
  console.error(`Could not reach ${base}: ${error.message}`);
  process.exit(1);
}
