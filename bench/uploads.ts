/**
 * Pictures through the production server (`dist/server.js`; run `npm run build` first):
 *
 * 1. Processing cost per picture: SERIAL uploads, one at a time, of a 12-megapixel JPEG photo
 *    and of a PNG just under the 10 MB limit, timed from the first byte sent to the answer.
 *    The baseline, in the same run, is `processImage` on the same bytes in this process: the
 *    work a picture costs without HTTP, temporary file or storage.
 * 2. Memory under load: CONCURRENT clients each upload that PNG at the same moment while the
 *    server's resident memory is sampled every 20 ms; the figure to compare is what holding
 *    every body whole would take (CONCURRENT × its size).
 *
 * Run: npm run bench:uploads (SERIAL=10 CONCURRENT=20 by default).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClientEvent } from '../lib/protocol/events';
import { processImage } from '../lib/server/images';
import { connectTestClient, expectOk, type TestClient } from '../test/helpers/chat-harness';
import { noisy } from '../test/helpers/pictures';
import { startServerProcess } from '../test/helpers/server-process';
import { postPicture } from '../test/helpers/uploads';

const SERIAL = Number(process.env.SERIAL ?? 10);
const CONCURRENT = Number(process.env.CONCURRENT ?? 20);
const MB = 1024 * 1024;

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main() {
  const photo = await noisy(4000, 3000).jpeg({ quality: 85 }).toBuffer();
  const png = await noisy(1800, 1750).png().toBuffer();
  if (png.length > 10 * MB) throw new Error(`the PNG is ${png.length} bytes: over the limit`);
  const pictures = [
    { name: `JPEG 4000×3000 (${(photo.length / MB).toFixed(1)} MB)`, bytes: photo },
    { name: `PNG 1800×1750 (${(png.length / MB).toFixed(1)} MB)`, bytes: png },
  ];

  const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-bench-uploads-'));
  const server = await startServerProcess({ DATA_DIR: dataDir, RATE_LIMITS: 'off' });
  const pid = server.child.pid!;
  const clients: TestClient[] = [];
  try {
    for (let i = 0; i < CONCURRENT; i++) clients.push(await connectTestClient(server.url));
    const { roomId } = expectOk(await clients[0]!.request(ClientEvent.RoomCreate, {}));
    for (const [i, client] of clients.entries()) {
      expectOk(await client.request(ClientEvent.RoomJoin, { roomId, nickname: `up${i}` }));
    }

    console.log(`\n1. Processing cost per picture (${SERIAL} each, one at a time; medians)`);
    console.log('| picture | processImage in-process | upload over HTTP | ratio | MB/s |');
    console.log('|---|---|---|---|---|');
    for (const { name, bytes } of pictures) {
      const direct: number[] = [];
      const uploaded: number[] = [];
      for (let i = 0; i < SERIAL; i++) {
        let start = process.hrtime.bigint();
        if (!(await processImage(bytes)).ok) throw new Error(`${name} refused`);
        direct.push(ms(start));
        start = process.hrtime.bigint();
        const { status } = await postPicture(server.url, clients[0]!.token, roomId, bytes);
        if (status !== 201) throw new Error(`${name}: upload answered ${status}`);
        uploaded.push(ms(start));
      }
      const [d, u] = [median(direct), median(uploaded)];
      const throughput = bytes.length / MB / (u / 1000);
      console.log(
        `| ${name} | ${d.toFixed(0)} ms | ${u.toFixed(0)} ms | ${(u / d).toFixed(2)}× | ${throughput.toFixed(1)} |`,
      );
    }

    // Let the serial uploads' garbage go before the idle figure.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idle = rssBytes(pid);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 20);
    const start = process.hrtime.bigint();
    const answers = await Promise.all(
      clients.map((client) => postPicture(server.url, client.token, roomId, png)),
    );
    const took = ms(start);
    clearInterval(sampler);
    const stored = answers.filter((answer) => answer.status === 201).length;
    const whole = CONCURRENT * png.length;
    console.log(
      `\n2. ${CONCURRENT} clients upload the ${(png.length / MB).toFixed(1)} MB PNG at once`,
    );
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| stored | ${stored} of ${CONCURRENT} |`);
    console.log(`| all answered after | ${(took / 1000).toFixed(1)} s |`);
    console.log(`| throughput | ${(whole / MB / (took / 1000)).toFixed(1)} MB/s |`);
    console.log(
      `| server RSS idle → peak | ${(idle / MB).toFixed(0)} → ${(peak / MB).toFixed(0)} MB |`,
    );
    console.log(
      `| growth ÷ bodies held whole (${(whole / MB).toFixed(0)} MB) | ${((peak - idle) / whole).toFixed(2)}× |`,
    );
  } finally {
    for (const client of clients) client.close();
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
