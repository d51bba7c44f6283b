// An independent gRPC client: @grpc/grpc-js loading csperf's .proto files.
// Usage: CSPERF_TOKEN=... node check.js HOST:PORT PROTO_DIR. Exits non-zero on
// any mismatch.
'use strict';
const assert = require('node:assert/strict');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [address, protoDir] = process.argv.slice(2);
const options = { keepCase: true, longs: Number, enums: String, defaults: true,
                  includeDirs: [protoDir] };
const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(
  ['grpc/health/v1/health.proto', 'csperf/v1/service.proto'], options));
const credentials = grpc.credentials.createInsecure();
const deadline = () => new Date(Date.now() + 10000);
const token = process.env.CSPERF_TOKEN;

// Metadata with `authorization: Bearer <token>`, or none.
function auth(bearer) {
  const metadata = new grpc.Metadata();
  if (bearer !== undefined) metadata.add('authorization', `Bearer ${bearer}`);
  return metadata;
}

function unary(client, method, request, metadata = auth(token)) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: deadline() },
                   (err, reply) => (err ? reject(err) : resolve(reply)));
  });
}

async function main() {
  const health = new pkg.grpc.health.v1.Health(address, credentials);
  const performance = new pkg.csperf.v1.Performance(address, credentials);

  assert.match(token || '', /^csperf_[0-9a-f]{64}$/, 'CSPERF_TOKEN must hold a token');
  // Health checks need no token.
  const whole = await unary(health, 'Check', { service: '' }, auth());
  assert.equal(whole.status, 'SERVING');
  const service = await unary(health, 'Check', { service: 'csperf.v1.Performance' });
  assert.equal(service.status, 'SERVING');
  await assert.rejects(unary(health, 'Check', { service: 'no.such.Service' }),
                       (err) => err.code === grpc.status.NOT_FOUND);

  // Everything else does: none, a malformed one, or an unknown one is UNAUTHENTICATED.
  for (const bearer of [undefined, 'not-a-token', `csperf_${'0'.repeat(64)}`]) {
    await assert.rejects(unary(performance, 'GetServerInfo', {}, auth(bearer)),
                         (err) => err.code === grpc.status.UNAUTHENTICATED);
  }

  const info = await unary(performance, 'GetServerInfo', {});
  assert.match(info.server_version, /^\d+\.\d+\.\d+$/);
  assert.ok(info.schema_version >= 1, `schema_version ${info.schema_version}`);
  assert.equal(info.database_status, 'ok');
  assert.equal(info.database_mode, 'embedded');
  assert.match(info.database_version, /^15/);

  // An admin call, and the audit trail that recorded the calls above.
  const tokens = await unary(performance, 'ListTokens', {});
  assert.ok(tokens.tokens.some((t) => t.name === 'interop' && t.role === 'admin'));
  const audit = await unary(performance, 'GetAudit', { limit: 10 });
  assert.ok(audit.entries.some((e) => e.method === '/csperf.v1.Performance/GetServerInfo' &&
                                     e.status === 'UNAUTHENTICATED'));
  assert.ok(audit.entries.some((e) => e.method === '/csperf.v1.Performance/GetServerInfo' &&
                                     e.status === 'OK' && e.principal === 'interop'));

  // A method nobody serves: UNIMPLEMENTED, at once.
  const started = Date.now();
  await assert.rejects(new Promise((resolve, reject) => {
    performance.makeUnaryRequest('/csperf.v1.Performance/NoSuchMethod', (x) => x, (x) => x,
      Buffer.alloc(0), auth(token), { deadline: deadline() },
      (err, reply) => (err ? reject(err) : resolve(reply)));
  }), (err) => err.code === grpc.status.UNIMPLEMENTED);
  assert.ok(Date.now() - started < 5000);

  health.close();
  performance.close();
  console.log(`grpc-js: Health/Check SERVING without a token; GetServerInfo ${info.server_version}, schema ${info.schema_version} with one, UNAUTHENTICATED without; audit trail read; unknown method UNIMPLEMENTED`);
}

main().catch((err) => { console.error(err); process.exit(1); });
