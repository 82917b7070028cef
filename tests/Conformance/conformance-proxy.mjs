#!/usr/bin/env node
// The front door of the Prism pass: a splitting reverse proxy in front of one Kernel emulator, with Prism
// (@stainless-api/prism-cli, validating proxy mode) as its child process. Only node's own modules are used.
//
//   client ──► this proxy ──┬─► Prism (validates request + response) ──► this proxy's back door ──► emulator
//                           ├─► emulator, directly: GET /deployments/{id}/events, GET /invocations/{id}/events
//                           │   (Prism reads text/event-stream as one body and buffers it) and /_emulator/*
//                           │   (test controls, not part of the API)
//                           └─► "tee" for binary bodies (multipart uploads): Prism 5.16.1 decodes request bodies
//                               as UTF-8 text before forwarding, which corrupts a ZIP. The real request goes
//                               straight to the emulator; a copy goes through Prism, whose upstream call is
//                               answered from the back door with the emulator's recorded answer, so Prism still
//                               validates both the request and the emulator's real response, and the emulator
//                               sees the upload exactly once.
//
// Every request through the front door is appended to --journal as one JSON line: method, path, route, status and
// the violations Prism attached to that very response (its `sl-violations` header, which this proxy removes before
// answering). Prism's own log (with its `Violation:` lines) goes to --prism-log.
//
// Usage: node conformance-proxy.mjs --emulator http://127.0.0.1:PORT/ --spec kernel-openapi.yaml
//          --prism-log prism.log --journal requests.jsonl [--parent-pid N] [--exit-on-stdin-close]
// Prints "conformance proxy listening on http://127.0.0.1:PORT/ (prism pid N)" when both are ready.
// Ends (and ends Prism) on SIGTERM/SIGINT, when stdin closes (--exit-on-stdin-close) or the parent process is gone.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';

const args = parseArgs(process.argv.slice(2));
const emulator = new URL(required('emulator'));
if (!['127.0.0.1', 'localhost', '[::1]'].includes(emulator.hostname)) {
  fail(`refusing to proxy to ${emulator.href}: only loopback addresses are allowed`);
}
const spec = path.resolve(required('spec'));
if (!fs.existsSync(spec)) fail(`no OpenAPI document at ${spec}`);
const prismLog = fs.createWriteStream(path.resolve(required('prism-log')), { flags: 'a' });
const journalPath = path.resolve(required('journal'));
fs.writeFileSync(journalPath, '');

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const replays = new Map(); // token -> the emulator's answer to a teed request
let sequence = 0;
let prism = null;
let prismUrl = null;
let stopping = false;

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];
const EVENTS = /^\/(deployments|invocations)\/[^/]+\/events\/?$/;

// ---- back door: Prism's upstream ------------------------------------------------------------------------------
const back = http.createServer((req, res) => {
  const token = req.headers['x-conformance-replay'];
  if (token) {
    req.resume();
    const answer = replays.get(token);
    if (!answer) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'conformance_proxy', message: 'no recorded answer for this replay token' }));
      return;
    }
    res.writeHead(answer.status, { ...withoutHopByHop(answer.headers), 'content-length': answer.body.length });
    res.end(answer.body);
    return;
  }
  pipeTo(emulator, req, res, {});
});

// ---- front door ----------------------------------------------------------------------------------------------
const front = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://front');
  const record = { seq: ++sequence, at: new Date().toISOString(), method: req.method, path: url.pathname, query: url.search, route: 'prism', status: null, violations: [] };
  if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/') || (req.method === 'GET' && EVENTS.test(url.pathname))) {
    record.route = 'direct';
    pipeTo(emulator, req, res, { onResponse: (status) => { record.status = status; journal(record); }, onError: (e) => { record.note = e; journal(record); } });
    return;
  }
  if (hasBinaryBody(req) || wantsBinaryAnswer(req)) {
    record.route = 'tee';
    tee(req, res, record).catch((e) => {
      record.note = `proxy error: ${e.message}`;
      journal(record);
      res.socket?.destroy();
    });
    return;
  }
  pipeTo(new URL(prismUrl), req, res, {
    onHeaders: (headers) => {
      record.violations = takeViolations(headers);
      stripPrismHeaders(headers);
    },
    onResponse: (status) => { record.status = status; journal(record); },
    onError: (e) => { record.note = e; journal(record); },
  });
});

async function tee(req, res, record) {
  const body = await readAll(req);
  let answer;
  try {
    answer = await send(emulator, req.method, req.url, req.headers, body);
  } catch (e) {
    // The emulator dropped the connection (a fault rule): the client sees the same, nothing is validated.
    record.note = `emulator closed the connection (${e.code || e.message}); not validated`;
    journal(record);
    res.socket?.destroy();
    return;
  }
  record.status = answer.status;
  const token = randomUUID();
  replays.set(token, answer);
  try {
    const checked = await send(new URL(prismUrl), req.method, req.url, req.headers, body, { 'x-conformance-replay': token });
    record.violations = takeViolations(checked.headers);
    if (checked.status !== answer.status) {
      record.violations.push({ location: ['proxy'], severity: 'Error', message: `Prism answered ${checked.status} where the emulator answered ${answer.status}, so the exchange was not validated: ${checked.body.toString('utf8').slice(0, 300)}` });
    }
  } catch (e) {
    record.violations.push({ location: ['proxy'], severity: 'Error', message: `Prism could not validate the exchange: ${e.message}` });
  } finally {
    replays.delete(token);
  }
  journal(record);
  res.writeHead(answer.status, { ...withoutHopByHop(answer.headers), 'content-length': answer.body.length });
  res.end(answer.body);
}

// ---- plumbing ------------------------------------------------------------------------------------------------
function pipeTo(target, req, res, { onHeaders, onResponse, onError }) {
  const upstream = http.request({
    agent, host: target.hostname, port: target.port, method: req.method, path: req.url,
    headers: { ...req.headers, host: target.host },
  }, (answer) => {
    const headers = { ...answer.headers };
    onHeaders?.(headers);
    res.writeHead(answer.statusCode, answer.statusMessage, headers);
    res.flushHeaders();
    onResponse?.(answer.statusCode);
    answer.on('data', (chunk) => res.write(chunk));
    answer.on('end', () => res.end());
    answer.on('error', () => res.socket?.destroy());
    answer.on('aborted', () => res.socket?.destroy());
  });
  upstream.on('error', (e) => {
    onError?.(`upstream error: ${e.code || e.message}`);
    if (res.headersSent) res.socket?.destroy();
    else { res.socket?.destroy(); }
  });
  // The client went away (e.g. it stopped following a stream): stop the upstream request too.
  res.on('close', () => { if (!res.writableFinished) upstream.destroy(); });
  req.pipe(upstream);
}

function send(target, method, url, headers, body, extra = {}) {
  return new Promise((resolve, reject) => {
    const outgoing = { ...withoutHopByHop(headers), ...extra, host: target.host, 'content-length': body.length };
    const request = http.request({ agent, host: target.hostname, port: target.port, method, path: url, headers: outgoing }, (answer) => {
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => resolve({ status: answer.statusCode, headers: answer.headers, body: Buffer.concat(chunks) }));
      answer.on('error', reject);
      answer.on('aborted', () => reject(new Error('response aborted')));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function readAll(stream) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function hasBinaryBody(req) {
  const type = (req.headers['content-type'] || '').toLowerCase();
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] || 0) > 0;
  return hasBody && type.length > 0 && !/json|^text\/|x-www-form-urlencoded/.test(type);
}

// A download (a replay's video, a profile's archive) asks for a binary type: Prism would read the answer as text
// and corrupt it on the way back, so it takes the tee path too.
function wantsBinaryAnswer(req) {
  const accept = (req.headers['accept'] || '').toLowerCase();
  return /video\/|application\/octet-stream|application\/zip/.test(accept);
}

function takeViolations(headers) {
  const raw = headers['sl-violations'];
  if (!raw) return [];
  try {
    return JSON.parse(raw);
  } catch {
    // Prism cuts the header at 8 KB ("Too many violations! …"): keep what is there; the Prism log has them all.
    return [{ location: ['proxy'], severity: 'Error', message: `more violations than the sl-violations header holds; see the Prism log: ${String(raw).slice(0, 500)}`, truncated: true }];
  }
}

function stripPrismHeaders(headers) {
  delete headers['sl-violations'];
  // Prism adds CORS headers the emulator never sends; the client should see the emulator's answer.
  for (const name of Object.keys(headers)) if (name.startsWith('access-control-')) delete headers[name];
}

function withoutHopByHop(headers) {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  delete copy['content-length'];
  delete copy['x-conformance-replay'];
  return copy;
}

function journal(record) {
  if (record.logged) return;
  record.logged = true;
  const { logged, ...line } = record;
  fs.appendFileSync(journalPath, JSON.stringify(line) + '\n');
}

// ---- Prism ---------------------------------------------------------------------------------------------------
function startPrism(backUrl) {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@stainless-api/prism-cli/package.json');
  const bin = path.join(path.dirname(manifest), JSON.parse(fs.readFileSync(manifest, 'utf8')).bin.prism);
  // Prism's own executable, run by this node directly: one process, which this proxy owns and stops.
  const child = spawn(process.execPath, [bin, 'proxy', spec, backUrl, '--port', '0', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  prism = child;
  return new Promise((resolve, reject) => {
    let seen = '';
    let ready = false;
    const timer = setTimeout(() => reject(new Error('Prism did not start within 90 s')), 90_000);
    const onData = (chunk) => {
      prismLog.write(chunk);
      if (ready) return;
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      const match = /Prism is listening on (http:\/\/[^\s]+)/.exec(seen);
      if (match) {
        ready = true;
        clearTimeout(timer);
        resolve({ child, url: match[1].replace(/\/?$/, '/') });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!stopping) {
        if (!ready) reject(new Error(`Prism exited during start-up (${signal || code}); see ${args['prism-log']}`));
        else { process.stderr.write(`Prism exited (${signal || code})\n`); shutdown(1); }
      }
    });
  });
}

function listen(server) {
  // Node closes an idle keep-alive connection after 5 s; .NET's pool keeps one for 60 s, so a client could send an
  // upload down a connection this end is just closing ("Broken pipe"), a race the emulator itself (Kestrel keeps
  // idle connections 130 s) never causes. The proxy must not add failures of its own: outlast the client.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/`));
  });
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const server of [front, back]) {
    server.close();
    server.closeAllConnections?.();
  }
  if (prism && prism.exitCode === null && prism.signalCode === null) {
    const exited = new Promise((resolve) => prism.once('exit', resolve));
    prism.kill('SIGTERM');
    const timer = setTimeout(() => prism.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
  prismLog.end(() => process.exit(code));
  setTimeout(() => process.exit(code), 2000).unref();
}

function parseArgs(list) {
  const parsed = {};
  for (let i = 0; i < list.length; i++) {
    const name = list[i].replace(/^--/, '');
    if (name === 'exit-on-stdin-close') parsed[name] = true;
    else parsed[name] = list[++i];
  }
  return parsed;
}

function required(name) {
  if (!args[name]) fail(`--${name} is required`);
  return args[name];
}

function fail(message) {
  process.stderr.write(`conformance-proxy: ${message}\n`);
  process.exit(2);
}

process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
if (args['exit-on-stdin-close']) {
  process.stdin.on('end', () => shutdown(0));
  process.stdin.on('error', () => shutdown(0));
  process.stdin.resume();
}
if (args['parent-pid']) {
  const parent = Number(args['parent-pid']);
  setInterval(() => {
    try { process.kill(parent, 0); } catch { shutdown(0); }
  }, 1000).unref();
}

try {
  const backUrl = await listen(back);
  prismUrl = (await startPrism(backUrl)).url;
  const frontUrl = await listen(front);
  process.stdout.write(`conformance proxy listening on ${frontUrl} (prism pid ${prism.pid})\n`);
} catch (e) {
  process.stderr.write(`conformance-proxy: ${e.message}\n`);
  await shutdown(1);
}
