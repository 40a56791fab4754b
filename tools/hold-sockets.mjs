// Opens N WebSockets to Cohort's /ws as one signed-in person, subscribes each to some topics and
// holds them open, so the benchmark suite can measure the server's memory with them open.
// Usage: node tools/hold-sockets.mjs URL COOKIE N [TOPIC,TOPIC...]
// Prints "open N" once every socket has its hello, then holds them until it is killed (SIGTERM).
// A small client of its own (RFC 6455 handshake and masked text frames), so that it needs no
// package beyond Node.
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';

const [base, cookie, countArg, topicsArg] = process.argv.slice(2);
const count = Number(countArg);
const topics = (topicsArg || 'site').split(',');
const url = new URL('/ws', base);
const origin = new URL(base).origin;

function frame(text) {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  let head;
  if (payload.length < 126) {
    head = Buffer.from([0x81, 0x80 | payload.length]);
  } else {
    head = Buffer.alloc(4);
    head[0] = 0x81;
    head[1] = 0x80 | 126;
    head.writeUInt16BE(payload.length, 2);
  }
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([head, mask, masked]);
}

function open() {
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        Origin: origin,
        Cookie: cookie,
      },
    });
    req.on('upgrade', (_res, socket, head) => {
      // The hello may come with the handshake's answer, or after it.
      if (head.length) resolve(socket);
      else socket.once('data', () => resolve(socket));
      socket.on('data', () => {}); // events are read and dropped
      socket.on('error', () => {});
      socket.write(frame(JSON.stringify({ t: 'subscribe', topics })));
    });
    req.on('response', (res) => reject(new Error(`/ws answered ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

const sockets = [];
for (let i = 0; i < count; i += 50) {
  const batch = Math.min(50, count - i);
  sockets.push(...(await Promise.all(Array.from({ length: batch }, open))));
}
console.log(`open ${sockets.length}`);
process.on('SIGTERM', () => {
  for (const s of sockets) s.destroy();
  process.exit(0);
});
setInterval(() => {}, 1 << 30);
