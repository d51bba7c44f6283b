// gRPC server reflection from an independent client: @grpc/grpc-js speaking
// grpc.reflection.v1 and v1alpha with messages it encodes itself (protobufjs'
// Writer and Reader, from the public protocol; not our .proto files). It
// lists csperfd's services, fetches their file descriptors, builds csperf's
// API from those descriptors alone (@grpc/proto-loader's
// loadFileDescriptorSetFromBuffer) and calls GetServerInfo with it.
// Usage: CSPERF_TOKEN=... node reflection.js HOST:PORT. Exits non-zero on any
// mismatch.
'use strict';
const assert = require('node:assert/strict');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const [address] = process.argv.slice(2);
const token = process.env.CSPERF_TOKEN;
const scale = Number(process.env.CSPERF_TEST_TIME_SCALE || 4);
const deadline = () => new Date(Date.now() + 10000 * scale);
const credentials = grpc.credentials.createInsecure();

// ServerReflectionRequest: host 1; file_by_filename 3, file_containing_symbol 4,
// file_containing_extension 5 {containing_type 1, extension_number 2},
// all_extension_numbers_of_type 6, list_services 7.
function encodeRequest(request) {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).string(request.host || '');
  for (const [field, number] of [['file_by_filename', 3], ['file_containing_symbol', 4],
                                 ['all_extension_numbers_of_type', 6], ['list_services', 7]]) {
    if (request[field] !== undefined) w.uint32((number << 3) | 2).string(request[field]);
  }
  if (request.file_containing_extension) {
    const ext = request.file_containing_extension;
    w.uint32((5 << 3) | 2).fork()
      .uint32((1 << 3) | 2).string(ext.containing_type)
      .uint32((2 << 3) | 0).int32(ext.extension_number).ldelim();
  }
  return Buffer.from(w.finish());
}

// ServerReflectionResponse: valid_host 1, original_request 2,
// file_descriptor_response 4 {file_descriptor_proto 1 (bytes)},
// all_extension_numbers_response 5 {base_type_name 1, extension_number 2},
// list_services_response 6 {service 1 {name 1}},
// error_response 7 {error_code 1, error_message 2}.
function fields(bytes, each) {
  const r = protobuf.Reader.create(bytes);
  while (r.pos < r.len) {
    const key = r.uint32();
    each(key >>> 3, key & 7, r);
  }
}
function decodeResponse(bytes) {
  const out = {};
  fields(bytes, (number, type, r) => {
    if (number === 1) out.valid_host = r.string();
    else if (number === 2) out.original_request = r.bytes();
    else if (number === 4) {
      out.files = [];
      fields(r.bytes(), (n, t, rr) => (n === 1 ? out.files.push(Buffer.from(rr.bytes()))
                                                : rr.skipType(t)));
    } else if (number === 5) {
      out.extensions = { numbers: [] };
      fields(r.bytes(), (n, t, rr) => {
        if (n === 1) out.extensions.base_type_name = rr.string();
        else if (n === 2) out.extensions.numbers.push(rr.int32());
        else rr.skipType(t);
      });
    } else if (number === 6) {
      out.services = [];
      fields(r.bytes(), (n, t, rr) => {
        if (n !== 1) { rr.skipType(t); return; }
        fields(rr.bytes(), (n2, t2, r3) => (n2 === 1 ? out.services.push(r3.string())
                                                      : r3.skipType(t2)));
      });
    } else if (number === 7) {
      out.error = { code: 0, message: '' };
      fields(r.bytes(), (n, t, rr) => {
        if (n === 1) out.error.code = rr.int32();
        else if (n === 2) out.error.message = rr.string();
        else rr.skipType(t);
      });
    } else r.skipType(type);
  });
  return out;
}

// One stream: sends every request, gathers one response each, in order.
function reflect(version, requests, metadata = new grpc.Metadata()) {
  const Client = grpc.makeGenericClientConstructor({
    ServerReflectionInfo: {
      path: `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
      requestStream: true, responseStream: true,
      requestSerialize: encodeRequest, requestDeserialize: (b) => b,
      responseSerialize: (b) => b, responseDeserialize: decodeResponse,
    },
  }, 'ServerReflection');
  const client = new Client(address, credentials);
  return new Promise((resolve, reject) => {
    const responses = [];
    const call = client.ServerReflectionInfo(metadata, { deadline: deadline() });
    call.on('data', (r) => responses.push(r));
    call.on('error', (err) => { client.close(); reject(err); });
    call.on('end', () => { client.close(); resolve(responses); });
    for (const request of requests) call.write(request);
    call.end();
  });
}

// A FileDescriptorSet (file = 1) of serialized FileDescriptorProtos, each once.
function descriptorSet(files) {
  const seen = new Set();
  const w = protobuf.Writer.create();
  for (const file of files) {
    const key = file.toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    w.uint32((1 << 3) | 2).bytes(file);
  }
  return Buffer.from(w.finish());
}

function fileName(bytes) {
  let name = '';
  fields(bytes, (n, t, r) => (n === 1 ? (name = r.string()) : r.skipType(t)));
  return name;
}

async function main() {
  assert.match(token || '', /^csperf_[0-9a-f]{64}$/, 'CSPERF_TOKEN must hold a token');
  const expected = ['csperf.v1.Performance', 'grpc.health.v1.Health',
                    'grpc.reflection.v1.ServerReflection',
                    'grpc.reflection.v1alpha.ServerReflection'];

  for (const version of ['v1', 'v1alpha']) {
    // Without a token, as the usual tools call it.
    const [list, byService, byFile, bySymbol, unknown, extension, numbers, noType, empty] =
      await reflect(version, [
        { host: 'localhost', list_services: '' },
        { file_containing_symbol: 'csperf.v1.Performance' },
        { file_by_filename: 'grpc/health/v1/health.proto' },
        { file_containing_symbol: 'csperf.v1.GetServerInfoResponse' },
        { file_containing_symbol: 'csperf.v1.NoSuchThing' },
        { file_containing_extension: { containing_type: 'csperf.v1.GetServerInfoRequest',
                                       extension_number: 100 } },
        { all_extension_numbers_of_type: 'csperf.v1.GetServerInfoRequest' },
        { all_extension_numbers_of_type: 'csperf.v1.NoSuchType' },
        {},
      ]);
    assert.deepEqual([...list.services].sort(), expected);
    assert.equal(list.valid_host, 'localhost');
    assert.ok(list.original_request.length > 0, 'original_request echoed');
    // The service's file first, then what it imports.
    assert.equal(fileName(byService.files[0]), 'csperf/v1/service.proto');
    const names = byService.files.map(fileName);
    for (const f of ['csperf/v1/admin.proto', 'csperf/v1/records.proto',
                     'csperf/v1/scorecards.proto', 'csperf/v1/indicators.proto']) {
      assert.ok(names.includes(f), `${f} among ${names}`);
    }
    assert.equal(new Set(names).size, names.length, 'each file once');
    assert.deepEqual(byFile.files.map(fileName), ['grpc/health/v1/health.proto']);
    assert.equal(fileName(bySymbol.files[0]), 'csperf/v1/admin.proto');
    assert.equal(unknown.error.code, grpc.status.NOT_FOUND);
    assert.match(unknown.error.message, /csperf\.v1\.NoSuchThing/);
    assert.equal(extension.error.code, grpc.status.NOT_FOUND);
    assert.equal(numbers.extensions.base_type_name, 'csperf.v1.GetServerInfoRequest');
    assert.deepEqual(numbers.extensions.numbers, []);
    assert.equal(noType.error.code, grpc.status.NOT_FOUND);
    assert.equal(empty.error.code, grpc.status.INVALID_ARGUMENT);

    // csperf's API from the descriptors alone, and a call with it.
    const definition = protoLoader.loadFileDescriptorSetFromBuffer(
      descriptorSet(byService.files),
      { keepCase: true, longs: Number, enums: String, defaults: true });
    assert.ok(definition['csperf.v1.Performance'].GetServerInfo, 'GetServerInfo described');
    const Performance = grpc.loadPackageDefinition(definition).csperf.v1.Performance;
    const performance = new Performance(address, credentials);
    const metadata = new grpc.Metadata();
    metadata.add('authorization', `Bearer ${token}`);
    const info = await new Promise((resolve, reject) => {
      performance.GetServerInfo({}, metadata, { deadline: deadline() },
                                (err, reply) => (err ? reject(err) : resolve(reply)));
    });
    performance.close();
    assert.match(info.server_version, /^\d+\.\d+\.\d+$/);
    assert.equal(info.database_status, 'ok');
    assert.ok(info.schema_version >= 1);
    // The descriptors describe the other methods too: a streaming one.
    assert.equal(definition['csperf.v1.Performance'].GetIndicatorCases.responseStream, true);
    console.log(`reflection ${version}: ${list.services.length} services listed, ` +
                `${names.length} files for csperf.v1.Performance, GetServerInfo from them: ` +
                `csperfd ${info.server_version}, schema ${info.schema_version}`);
  }

  // Open streams hold workers: a fifth at once is refused, and once the four
  // are closed a stream is served again.
  const Client = grpc.makeGenericClientConstructor({
    ServerReflectionInfo: {
      path: '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
      requestStream: true, responseStream: true,
      requestSerialize: encodeRequest, requestDeserialize: (b) => b,
      responseSerialize: (b) => b, responseDeserialize: decodeResponse,
    },
  }, 'ServerReflection');
  const holder = new Client(address, credentials);
  const open = [];
  for (let i = 0; i < 4; i++) {
    const call = holder.ServerReflectionInfo(new grpc.Metadata(), { deadline: deadline() });
    await new Promise((resolve, reject) => {
      call.once('data', resolve);
      call.once('error', reject);
      call.write({ list_services: '' });
    });
    call.on('error', () => {});
    open.push(call);
  }
  await assert.rejects(reflect('v1', [{ list_services: '' }]),
                       (err) => err.code === grpc.status.RESOURCE_EXHAUSTED);
  await Promise.all(open.map((call) => new Promise((resolve) => {
    call.on('end', resolve);
    call.on('data', () => {});
    call.end();
  })));
  holder.close();
  const [again] = await reflect('v1', [{ list_services: '' }]);
  assert.equal(again.services.length, expected.length);

  // Bad bytes on the stream end it with INVALID_ARGUMENT.
  await assert.rejects(new Promise((resolve, reject) => {
    const client = new grpc.Client(address, credentials);
    const call = client.makeBidiStreamRequest(
      '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo', (b) => b, (b) => b,
      new grpc.Metadata(), { deadline: deadline() });
    call.on('data', () => {});
    call.on('error', (err) => { client.close(); reject(err); });
    call.on('end', () => { client.close(); resolve(); });
    call.write(Buffer.from([0xff, 0xff, 0xff]));
    call.end();
  }), (err) => err.code === grpc.status.INVALID_ARGUMENT);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
