#!/usr/bin/env node
// Referee (a): the official Node SDK, @onkernel/sdk 0.84.0 (pinned in package-lock.json), drives a running Kernel
// emulator through the documented deployment/app/invocation flow and the browsers, profiles, proxies, replays,
// extensions and browser pools calls, and checks what comes back against the shapes of shared/reference/kernel-api.md §3–8 and
// kernel-browsers.md (and the SDK's own types in node_modules/@onkernel/sdk/resources/*.d.ts).
//
// Usage: node sdk-referee.mjs [--base-url http://127.0.0.1:PORT/] [--api-key KEY] [--app-dir DIR] [--pages N]
//   The key is best passed as KERNEL_API_KEY (the command line is visible to every user); the endpoint may come
//   from KERNEL_BASE_URL. Only loopback endpoints are accepted.
// Output: one line per step, "ok <name>", "not ok <name>: <reason>" or "skip <name>: <reason>" (a step whose
// prerequisite failed), then one JSON line {"passed":N,"failed":N,"skipped":N}. Exit code 1 when a step failed.
// Every run works in its own X-Kernel-Project-Id, so it sees only what it created.

import Kernel, { toFile } from '@onkernel/sdk';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const baseURL = args['base-url'] || process.env.KERNEL_BASE_URL;
const apiKey = args['api-key'] || process.env.KERNEL_API_KEY;
const appDir = path.resolve(args['app-dir'] || path.join(here, '../../examples/page-title'));
const extraDeployments = Number(args.pages ? Number(args.pages) * 20 : 45);
if (!baseURL || !apiKey) {
  console.error('sdk-referee: give the emulator with --base-url (or KERNEL_BASE_URL) and the key with KERNEL_API_KEY (or --api-key)');
  process.exit(2);
}
if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(baseURL).hostname)) {
  console.error(`sdk-referee: refusing ${baseURL}: only loopback addresses are allowed`);
  process.exit(2);
}

const runId = randomBytes(4).toString('hex');
const project = `conformance-${runId}`;
// No retries: a referee must see the first answer, not a retried one.
const client = new Kernel({ baseURL, apiKey, projectID: project, maxRetries: 0, timeout: 30_000 });

const APP = 'page-title';
const ACTION = 'get-page-title';
const VERSION = `conformance-${runId}`;
const REGION = 'aws.us-east-1a';
const DEPLOYMENT_STATUSES = ['queued', 'in_progress', 'running', 'failed', 'stopped'];
const INVOCATION_STATUSES = ['queued', 'running', 'succeeded', 'failed'];
const STEP_TIMEOUT_MS = 60_000;

const counts = { passed: 0, failed: 0, skipped: 0 };
const state = {};
const outcome = {};

// ---- the steps -----------------------------------------------------------------------------------------------

await step('create a deployment from a zip', [], async () => {
  const zip = zipFolder(appDir);
  state.checksum = createHash('sha256').update(zip).digest('hex');
  const { data, response } = await client.deployments
    .create({
      file: await toFile(zip, 'page-title.zip', { type: 'application/zip' }),
      entrypoint_rel_path: 'main.py',
      version: VERSION,
      env_vars: { GREETING: 'hello from the referee' },
      region: REGION,
      force: false,
    })
    .withResponse();
  expect(response.status === 201, `HTTP ${response.status}, expected 201`);
  checkDeployment(data, 'deployment');
  expect(['queued', 'in_progress'].includes(data.status), `status ${data.status}, expected queued or in_progress right after the upload`);
  expect(data.entrypoint_rel_path === 'main.py', `entrypoint_rel_path ${json(data.entrypoint_rel_path)}`);
  expect(data.env_vars && data.env_vars.GREETING === '', `env_vars ${json(data.env_vars)}: API-key callers must get every key with "" (§6)`);
  expect(data.source_type === 'file', `source_type ${json(data.source_type)}, expected "file"`);
  expect(data.source_checksum === state.checksum, `source_checksum ${json(data.source_checksum)}, expected the upload's SHA-256 ${state.checksum}`);
  state.deployment = data;
});

await step('follow the deployment events to running', ['create a deployment from a zip'], async () => {
  const stream = await client.deployments.follow(state.deployment.id);
  const seen = [];
  let summary = null;
  let running = null;
  for await (const event of withDeadline(stream, 30_000)) {
    seen.push(event.event);
    checkEvent(event);
    if (event.event === 'app_version_summary') {
      expect(typeof event.id === 'string' && event.id.length > 0, 'app_version_summary.id must be a non-empty string');
      expect(event.app_name === APP, `app_version_summary.app_name ${json(event.app_name)}, expected ${APP}`);
      expect(event.version === VERSION, `app_version_summary.version ${json(event.version)}, expected ${VERSION}`);
      expect(event.region === REGION, `app_version_summary.region ${json(event.region)}`);
      checkActions(event.actions, 'app_version_summary.actions');
      summary = event;
    } else if (event.event === 'deployment_state') {
      checkDeployment(event.deployment, 'deployment_state.deployment');
      expect(event.deployment.id === state.deployment.id, `deployment_state for ${event.deployment.id}, not ${state.deployment.id}`);
      expect(!['failed', 'stopped'].includes(event.deployment.status), `the deployment ended ${event.deployment.status}: ${event.deployment.status_reason}`);
      if (event.deployment.status === 'running') {
        running = event;
        break; // where the CLI stops reading (§5)
      }
    } else if (event.event === 'error') {
      throw new Error(`error event: ${json(event.error)}`);
    }
  }
  expect(running, `the stream ended without deployment_state running (events: ${seen.join(', ')})`);
  expect(summary, `no app_version_summary before deployment_state running (events: ${seen.join(', ')})`);
  expect(seen.includes('log'), `no log event (events: ${seen.join(', ')})`);
  state.summary = summary;
});

await step('retrieve the deployment', ['follow the deployment events to running'], async () => {
  const data = await client.deployments.retrieve(state.deployment.id);
  checkDeployment(data, 'deployment');
  expect(data.id === state.deployment.id, `id ${data.id}`);
  expect(data.status === 'running', `status ${data.status}, expected running`);
  expect(data.source_checksum === state.checksum, `source_checksum ${json(data.source_checksum)} changed after the build`);
});

await step(`list ${extraDeployments + 1} deployments with auto-pagination`, ['create a deployment from a zip'], async () => {
  // More deployments of the same app (version "latest"), sequential like a script would: > 2 pages of 20.
  const zip = zipFolder(appDir);
  const created = [state.deployment.id];
  for (let i = 0; i < extraDeployments; i++) {
    const d = await client.deployments.create({ file: await toFile(zip, 'app.zip'), entrypoint_rel_path: 'main.py' });
    checkDeployment(d, `deployment #${i + 2}`);
    created.push(d.id);
  }
  const seen = new Map();
  for await (const d of client.deployments.list({ limit: 20 })) {
    checkDeployment(d, `listed deployment ${d && d.id}`);
    seen.set(d.id, (seen.get(d.id) || 0) + 1);
  }
  const repeated = [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id}×${n}`);
  const missing = created.filter((id) => !seen.has(id));
  const strangers = [...seen.keys()].filter((id) => !created.includes(id));
  expect(repeated.length === 0, `repeated across pages: ${repeated.slice(0, 5).join(', ')}`);
  expect(missing.length === 0, `${missing.length} of ${created.length} created deployments never listed (e.g. ${missing.slice(0, 3).join(', ')})`);
  expect(strangers.length === 0, `listed deployments this project never made: ${strangers.slice(0, 3).join(', ')}`);

  // The same list page by page: the headers behind the auto-pagination (§4).
  const pages = [];
  for await (const page of (await client.deployments.list({ limit: 20 })).iterPages()) {
    pages.push({ items: page.getPaginatedItems().length, has_more: page.has_more, next_offset: page.next_offset });
    expect(pages.length <= 100, 'more than 100 pages: the pagination does not stop');
  }
  expect(pages.length > 2, `${pages.length} page(s) for ${created.length} deployments at limit 20, expected more than 2`);
  const last = pages[pages.length - 1];
  expect(last.has_more === false, `the last page says X-Has-More ${json(last.has_more)}, expected false`);
  expect(last.next_offset === 0 || last.next_offset === null, `the last page says X-Next-Offset ${json(last.next_offset)}, expected 0`);
  pages.slice(0, -1).forEach((p, i) => {
    expect(p.items === 20, `page ${i + 1} holds ${p.items} items, expected 20`);
    expect(p.has_more === true, `page ${i + 1} says X-Has-More ${json(p.has_more)}, expected true`);
    expect(p.next_offset === (i + 1) * 20, `page ${i + 1} says X-Next-Offset ${json(p.next_offset)}, expected ${(i + 1) * 20} (absolute offset of the next page)`);
  });
  state.pages = pages.length;
});

await step('list apps', ['follow the deployment events to running'], async () => {
  const apps = [];
  for await (const app of client.apps.list({ app_name: APP })) apps.push(app);
  apps.forEach((a, i) => checkAppVersion(a, `apps[${i}]`));
  const mine = apps.find((a) => a.version === VERSION);
  expect(mine, `no app version ${APP}@${VERSION} among ${apps.map((a) => `${a.app_name}@${a.version}`).join(', ') || 'none'}`);
  expect(mine.deployment === state.deployment.id, `${APP}@${VERSION} is served by ${mine.deployment}, expected ${state.deployment.id}`);
  expect(mine.id === state.summary.id, `app version id ${mine.id} differs from the app_version_summary id ${state.summary.id}`);
  expect(mine.actions.some((a) => a.name === ACTION), `${ACTION} missing from actions ${json(mine.actions)}`);
  expect(mine.env_vars.GREETING === '', `env_vars ${json(mine.env_vars)}: every value must be ""`);
  const all = [];
  for await (const app of client.apps.list()) all.push(app);
  expect(all.some((a) => a.version === VERSION), 'the unfiltered list lacks the app version');
});

await step('invoke an action synchronously', ['follow the deployment events to running'], async () => {
  const payload = { url: 'https://example.com' };
  const { data, response } = await client.invocations
    .create({ app_name: APP, action_name: ACTION, version: VERSION, payload: JSON.stringify(payload) })
    .withResponse();
  expect(response.status === 200, `HTTP ${response.status}, expected 200`);
  checkInvokeResponse(data, 'invocation');
  expect(data.status === 'succeeded', `status ${data.status}: ${data.status_reason}`);
  expect(typeof data.output === 'string', `output ${json(data.output)} must be a string holding JSON`);
  parseJson(data.output, 'output');
  state.sync = data;
});

await step('invoke an action asynchronously', ['follow the deployment events to running'], async () => {
  const { data, response } = await client.invocations
    .create({ app_name: APP, action_name: ACTION, version: VERSION, payload: '{"url":"https://example.org"}', async: true })
    .withResponse();
  expect(response.status === 202, `HTTP ${response.status}, expected 202`);
  checkInvokeResponse(data, 'invocation');
  expect(data.status === 'queued', `status ${data.status}, expected queued`);
  state.async = data;
});

await step('follow the invocation events to succeeded', ['invoke an action asynchronously'], async () => {
  const stream = await client.invocations.follow(state.async.id);
  const seen = [];
  let done = null;
  for await (const event of withDeadline(stream, 30_000)) {
    seen.push(event.event);
    checkEvent(event);
    expect(!['deployment_state', 'app_version_summary'].includes(event.event), `${event.event} on an invocation stream`);
    if (event.event === 'invocation_state') {
      checkInvocation(event.invocation, 'invocation_state.invocation');
      expect(event.invocation.id === state.async.id, `invocation_state for ${event.invocation.id}`);
      expect(event.invocation.status !== 'failed', `the invocation failed: ${event.invocation.status_reason}`);
      if (event.invocation.status === 'succeeded') {
        done = event.invocation;
        break;
      }
    } else if (event.event === 'error') {
      throw new Error(`error event: ${json(event.error)}`);
    }
  }
  expect(done, `the stream ended without invocation_state succeeded (events: ${seen.join(', ')})`);
  expect(typeof done.output === 'string', 'a succeeded invocation carries its output');
  parseJson(done.output, 'output');
  expect(done.finished_at, 'a succeeded invocation has finished_at');
});

await step('retrieve and list invocations', ['invoke an action synchronously', 'invoke an action asynchronously'], async () => {
  const one = await client.invocations.retrieve(state.sync.id);
  checkInvocation(one, 'invocation');
  expect(one.status === 'succeeded' && one.app_name === APP && one.version === VERSION && one.action_name === ACTION, `retrieved ${json(one)}`);
  expect(typeof one.payload === 'string' && parseJson(one.payload, 'payload').url === 'https://example.com', `payload ${json(one.payload)}`);
  const listed = [];
  for await (const inv of client.invocations.list({ app_name: APP, version: VERSION })) {
    checkInvocation(inv, `listed invocation ${inv && inv.id}`);
    listed.push(inv.id);
  }
  for (const id of [state.sync.id, state.async.id]) expect(listed.includes(id), `invocation ${id} not listed`);
});

await step('update an invocation', ['follow the deployment events to running'], async () => {
  const started = await client.invocations.create({ app_name: APP, action_name: ACTION, version: VERSION, payload: '{}', async: true });
  const output = JSON.stringify({ error: 'cancelled by the conformance referee' });
  const updated = await client.invocations.update(started.id, { status: 'failed', output });
  checkInvocation(updated, 'invocation');
  expect(updated.id === started.id, `updated ${updated.id}`);
  expect(updated.status === 'failed', `status ${updated.status}, expected failed`);
  expect(updated.output === output, `output ${json(updated.output)}, expected ${output}`);
  const again = await client.invocations.retrieve(started.id);
  expect(again.status === 'failed', `retrieve after the update says ${again.status}`);
});

await step('delete the deployment', ['follow the deployment events to running'], async () => {
  const response = await client.deployments.delete(state.deployment.id).asResponse();
  expect(response.status === 204, `HTTP ${response.status}, expected 204`);
  const listed = [];
  for await (const d of client.deployments.list({ app_name: APP, app_version: VERSION })) listed.push(d.id);
  expect(!listed.includes(state.deployment.id), 'the deleted deployment is still listed');
  try {
    const after = await client.deployments.retrieve(state.deployment.id);
    expect(after.status === 'stopped', `after delete: status ${after.status}, expected stopped (or 404)`);
  } catch (e) {
    if (!(e instanceof Kernel.NotFoundError)) throw e;
  }
});

await step('a missing deployment is a NotFoundError', [], async () => {
  try {
    await client.deployments.retrieve(`missing-${runId}`);
  } catch (e) {
    expect(e instanceof Kernel.NotFoundError, `${e.constructor.name}: ${e.message}, expected NotFoundError`);
    expect(e.status === 404, `status ${e.status}`);
    checkErrorBody(e.error);
    return;
  }
  throw new Error('the retrieve succeeded');
});

// ---- browsers, profiles, proxies, replays (the SDK's browsers.d.ts, profiles.d.ts, proxies.d.ts, replays.d.ts) ----

const PROFILE = `referee-${runId}`;

await step('create, retrieve, rename and list profiles', [], async () => {
  const { data, response } = await client.profiles.create({ name: PROFILE }).withResponse();
  expect(response.status === 201, `HTTP ${response.status}, expected 201`);
  checkProfile(data, 'profile');
  expect(data.name === PROFILE, `name ${json(data.name)}`);
  const byName = await client.profiles.retrieve(PROFILE);
  expect(byName.id === data.id, `retrieve by name found ${byName.id}, not ${data.id}`);
  const renamed = await client.profiles.update(data.id, { name: `${PROFILE}-renamed` });
  checkProfile(renamed, 'renamed profile');
  expect(renamed.name === `${PROFILE}-renamed`, `renamed to ${json(renamed.name)}`);
  await client.profiles.update(`${PROFILE}-renamed`, { name: PROFILE });
  const unnamed = await client.profiles.create({});
  checkProfile(unnamed, 'unnamed profile');
  const exact = [];
  for await (const p of client.profiles.list({ name: PROFILE.toUpperCase() })) exact.push(p.id);
  expect(exact.length === 1 && exact[0] === data.id, `name filter (any case) listed ${json(exact)}, expected only ${data.id}`);
  const all = [];
  for await (const p of client.profiles.list({ limit: 1 })) { checkProfile(p, 'listed profile'); all.push(p.id); }
  expect(all.includes(data.id) && all.includes(unnamed.id), `paged list (limit 1) has ${json(all)}`);
  await client.profiles.delete(unnamed.id);
  state.profile = data;
});

await step('a profile that has saved nothing answers its download with 202', ['create, retrieve, rename and list profiles'], async () => {
  const response = await client.profiles.download(PROFILE);
  expect(response.status === 202, `HTTP ${response.status}, expected 202 (no state captured yet)`);
});

await step('create proxies of every type, and check, rename and list them', [], async () => {
  const made = {};
  for (const [type, config] of [
    ['datacenter', { country: 'US' }],
    ['isp', { country: 'GB' }],
    ['residential', { country: 'DE', city: 'berlin', zip: '10115', asn: 'AS3320' }],
    ['mobile', { country: 'US', state: 'CA' }],
    ['custom', { host: 'proxy.example.com', port: 3128, username: 'referee', password: `pw-${runId}` }],
  ]) {
    const { data, response } = await client.proxies.create({ type, name: `referee-${type}`, config }).withResponse();
    expect(response.status === 201, `${type}: HTTP ${response.status}, expected 201`);
    checkProxy(data, `${type} proxy`);
    expect(data.type === type, `${type}: type ${json(data.type)}`);
    made[type] = data;
  }
  const custom = made.custom;
  expect(custom.config.host === 'proxy.example.com' && custom.config.port === 3128 && custom.config.username === 'referee', `custom config ${json(custom.config)}`);
  expect(custom.config.has_password === true && custom.config.password === undefined, `custom config ${json(custom.config)}: the password must be write-only (has_password true, no password)`);
  expect(!JSON.stringify(custom).includes(`pw-${runId}`), 'the proxy password came back');
  expect(made.residential.config.city === 'berlin', `residential config ${json(made.residential.config)}`);
  const checked = await client.proxies.check(custom.id);
  checkProxy(checked, 'checked proxy');
  expect(['available', 'unavailable'].includes(checked.status) && typeof checked.last_checked === 'string', `check: status ${json(checked.status)}, last_checked ${json(checked.last_checked)}`);
  const viaUrl = await client.proxies.check(made.datacenter.id, { url: 'https://example.com' });
  checkProxy(viaUrl, 'proxy checked against a URL');
  const renamed = await client.proxies.update(made.isp.id, { name: 'referee-renamed' });
  expect(renamed.name === 'referee-renamed', `rename gave ${json(renamed.name)}`);
  const named = [];
  for await (const p of client.proxies.list({ name: 'referee-custom' })) named.push(p.id);
  expect(named.length === 1 && named[0] === custom.id, `name filter listed ${json(named)}`);
  const all = [];
  for await (const p of client.proxies.list({ limit: 2 })) { checkProxy(p, 'listed proxy'); all.push(p.id); }
  expect(Object.values(made).every((p) => all.includes(p.id)), `paged list (limit 2) lacks some of ${json(Object.keys(made))}`);
  state.proxies = made;
});

await step('a deleted proxy is gone (soft delete)', ['create proxies of every type, and check, rename and list them'], async () => {
  const gone = state.proxies.mobile;
  const response = await client.proxies.delete(gone.id).asResponse();
  expect(response.status === 204, `HTTP ${response.status}, expected 204`);
  await expectNotFound(() => client.proxies.retrieve(gone.id), 'retrieve after delete');
  for await (const p of client.proxies.list()) expect(p.id !== gone.id, 'the deleted proxy is still listed');
});

await step('create a browser with a profile, a proxy, tags and a viewport', ['create, retrieve, rename and list profiles', 'create proxies of every type, and check, rename and list them'], async () => {
  const browser = await client.browsers.create({
    name: `referee-${runId}`,
    stealth: true,
    timeout_seconds: 300,
    tags: { job: 'referee', run: runId },
    profile: { name: PROFILE, save_changes: true },
    proxy_id: state.proxies.datacenter.id,
    viewport: { width: 1280, height: 800, refresh_rate: 60 },
    start_url: 'https://example.com',
  });
  checkBrowser(browser, 'browser');
  expect(browser.headless === false && typeof browser.browser_live_view_url === 'string', 'a headful browser has a live view URL');
  expect(browser.stealth === true && browser.timeout_seconds === 300, `stealth ${browser.stealth}, timeout ${browser.timeout_seconds}`);
  expect(browser.tags && browser.tags.job === 'referee' && browser.tags.run === runId, `tags ${json(browser.tags)}`);
  expect(browser.profile && browser.profile.id === state.profile.id, `profile ${json(browser.profile)}`);
  expect(browser.proxy_id === state.proxies.datacenter.id, `proxy_id ${json(browser.proxy_id)}`);
  expect(browser.viewport && browser.viewport.width === 1280 && browser.viewport.height === 800, `viewport ${json(browser.viewport)}`);
  for (const url of [browser.cdp_ws_url, browser.webdriver_ws_url, browser.browser_live_view_url]) {
    expect(/[?&]jwt=[\w-]+\.[\w-]+\.[\w-]+/.test(url), `${url.replace(/jwt=[^&]+/, 'jwt=…')} carries no token`);
  }
  const byName = await client.browsers.retrieve(`referee-${runId}`);
  expect(byName.session_id === browser.session_id, `retrieve by name found ${byName.session_id}`);
  const tagged = [];
  for await (const b of client.browsers.list({ tags: { job: 'referee', run: runId } })) tagged.push(b.session_id);
  expect(tagged.length === 1 && tagged[0] === browser.session_id, `tags filter listed ${json(tagged)}`);
  const updated = await client.browsers.update(browser.session_id, { tags: { job: 'referee', run: runId, step: 'updated' }, name: `referee-${runId}-b` });
  checkBrowser(updated, 'updated browser');
  expect(updated.tags.step === 'updated' && updated.name === `referee-${runId}-b`, `update gave tags ${json(updated.tags)}, name ${json(updated.name)}`);
  state.browser = updated;
});

await step('list 25 browsers with auto-pagination and a status filter', [], async () => {
  const created = [];
  for (let i = 0; i < 25; i++) created.push((await client.browsers.create({ headless: true, tags: { batch: runId } })).session_id);
  const seen = [];
  for await (const b of client.browsers.list({ limit: 10, tags: { batch: runId } })) { checkBrowser(b, 'listed browser'); seen.push(b.session_id); }
  expect(seen.length === 25 && created.every((id) => seen.includes(id)), `listed ${seen.length} of 25`);
  const pages = [];
  for await (const page of (await client.browsers.list({ limit: 10, tags: { batch: runId } })).iterPages()) pages.push({ items: page.getPaginatedItems().length, has_more: page.has_more, next_offset: page.next_offset });
  expect(pages.length === 3 && pages[0].next_offset === 10 && pages[1].next_offset === 20 && pages[2].has_more === false, `pages ${json(pages)}`);
  for (const id of created.slice(0, 5)) await client.browsers.deleteByID(id);
  const deleted = [];
  for await (const b of client.browsers.list({ status: 'deleted', tags: { batch: runId } })) deleted.push(b.session_id);
  expect(deleted.length === 5, `status=deleted listed ${deleted.length}, expected 5`);
  const active = [];
  for await (const b of client.browsers.list({ tags: { batch: runId } })) active.push(b.session_id);
  expect(active.length === 20, `the default (active) listed ${active.length}, expected 20`);
  for (const id of created.slice(5)) await client.browsers.deleteByID(id);
});

await step('record a replay: start, list, stop, download an MP4', ['create a browser with a profile, a proxy, tags and a viewport'], async () => {
  const id = state.browser.session_id;
  const { data, response } = await client.browsers.replays.start(id, { framerate: 10, max_duration_in_seconds: 600 }).withResponse();
  expect(response.status === 201, `start: HTTP ${response.status}, expected 201`);
  checkReplay(data, 'replay');
  const early = await client.browsers.replays.download(data.replay_id, { id });
  expect(early.status === 202, `download while recording: HTTP ${early.status}, expected 202`);
  const listed = await client.browsers.replays.list(id);
  expect(Array.isArray(listed) && listed.some((r) => r.replay_id === data.replay_id), `list ${json(listed)}`);
  listed.forEach((r, i) => checkReplay(r, `replays[${i}]`));
  await client.browsers.replays.stop(data.replay_id, { id });
  const after = (await client.browsers.replays.list(id)).find((r) => r.replay_id === data.replay_id);
  expect(after && typeof after.finished_at === 'string', `after stop: ${json(after)}`);
  const video = await client.browsers.replays.download(data.replay_id, { id });
  expect(video.status === 200 && video.headers.get('content-type') === 'video/mp4', `download: HTTP ${video.status}, ${video.headers.get('content-type')}`);
  const bytes = Buffer.from(await video.arrayBuffer());
  expect(bytes.length > 100 && bytes.toString('latin1', 4, 8) === 'ftyp', `${bytes.length} bytes, not an MP4 (no ftyp box)`);
});

await step('ending a browser that saves changes writes its profile', ['create a browser with a profile, a proxy, tags and a viewport'], async () => {
  const id = state.browser.session_id;
  const response = await client.browsers.deleteByID(id).asResponse();
  expect(response.status === 204, `HTTP ${response.status}, expected 204`);
  await expectNotFound(() => client.browsers.retrieve(id), 'retrieve after delete');
  const ended = await client.browsers.retrieve(id, { include_deleted: true });
  checkBrowser(ended, 'deleted browser');
  expect(typeof ended.deleted_at === 'string', `deleted_at ${json(ended.deleted_at)}`);
  const profile = await client.profiles.retrieve(PROFILE);
  expect(typeof profile.updated_at === 'string', `profile updated_at ${json(profile.updated_at)} after the session saved into it`);
  const zst = Buffer.from(await (await client.profiles.download(PROFILE)).arrayBuffer());
  expect(zst.readUInt32LE(0) === 0xfd2fb528, 'the default download is not a zstd frame');
  const tar = await client.profiles.download(PROFILE, { format: 'tar' });
  const bytes = Buffer.from(await tar.arrayBuffer());
  expect(tar.status === 200 && bytes.toString('latin1', 257, 262) === 'ustar', 'format=tar is not a tar archive');
});

await step("an invocation's browsers: list and delete", ['invoke an action synchronously'], async () => {
  const browser = await client.browsers.create({ headless: true, invocation_id: state.sync.id });
  const listed = await client.invocations.listBrowsers(state.sync.id);
  expect(Array.isArray(listed.browsers) && listed.browsers.some((b) => b.session_id === browser.session_id), `listBrowsers ${json(listed)}`);
  listed.browsers.forEach((b, i) => checkBrowser(b, `browsers[${i}]`));
  const response = await client.invocations.deleteBrowsers(state.sync.id).asResponse();
  expect(response.status === 204, `HTTP ${response.status}, expected 204`);
  const after = await client.invocations.listBrowsers(state.sync.id);
  expect(after.browsers.length === 0, `after deleteBrowsers: ${after.browsers.length} left`);
  await expectNotFound(() => client.browsers.retrieve(browser.session_id), 'the invocation\'s browser after deleteBrowsers');
});

// ---- extensions and browser pools (the SDK's extensions.d.ts, browser-pools.d.ts) ---------------------------------

const EXTENSION = `referee-ext-${runId}`;
const POOL = `referee-pool-${runId}`;
const extensionDir = path.join(here, '../../examples/hello-extension');

await step('upload, retrieve, list and download an extension', [], async () => {
  const zip = zipFolder(extensionDir);
  const { data, response } = await client.extensions.upload({ file: await toFile(zip, 'extension.zip', { type: 'application/zip' }), name: EXTENSION }).withResponse();
  expect(response.status === 201, `HTTP ${response.status}, expected 201`);
  checkExtension(data, 'extension');
  expect(data.name === EXTENSION, `name ${json(data.name)}`);
  expect(data.size_bytes === zip.length, `size_bytes ${data.size_bytes}, expected ${zip.length}`);
  expect(data.checksum === createHash('sha256').update(zip).digest('hex'), `checksum ${json(data.checksum)} is not the SHA-256 of the upload`);
  const byName = await client.extensions.get(EXTENSION);
  checkExtension(byName, 'extension metadata');
  expect(byName.id === data.id, `get by name found ${byName.id}, not ${data.id}`);
  const unnamed = await client.extensions.upload({ file: await toFile(zip, 'extension.zip') });
  checkExtension(unnamed, 'unnamed extension');
  const exact = [];
  for await (const e of client.extensions.list({ name: EXTENSION.toUpperCase() })) exact.push(e.id);
  expect(exact.length === 1 && exact[0] === data.id, `name filter (any case) listed ${json(exact)}, expected only ${data.id}`);
  const all = [];
  for await (const e of client.extensions.list({ limit: 1 })) { checkExtension(e, 'listed extension'); all.push(e.id); }
  expect(all.includes(data.id) && all.includes(unnamed.id), `paged list (limit 1) has ${json(all)}`);
  const download = await client.extensions.download(data.id);
  const bytes = Buffer.from(await download.arrayBuffer());
  expect(download.status === 200 && bytes.equals(zip), `download: HTTP ${download.status}, ${bytes.length} bytes, not the ${zip.length} uploaded`);
  const store = await client.extensions.downloadFromChromeStore({ url: 'https://chromewebstore.google.com/detail/ublock-origin/cjpalhdlnbpafiamejdnhcphjbkeiagm' });
  const storeBytes = Buffer.from(await store.arrayBuffer());
  expect(store.status === 200 && storeBytes.readUInt32LE(0) === 0x04034b50, `Chrome Web Store download: HTTP ${store.status}, not a ZIP`);
  const response204 = await client.extensions.delete(unnamed.id).asResponse();
  expect(response204.status === 204, `delete: HTTP ${response204.status}, expected 204`);
  await expectNotFound(() => client.extensions.get(unnamed.id), 'get after delete');
  state.extension = data;
});

await step('a browser created with an extension loads it', ['upload, retrieve, list and download an extension'], async () => {
  const browser = await client.browsers.create({ headless: true, extensions: [{ name: EXTENSION }] });
  checkBrowser(browser, 'browser with an extension');
  const used = await client.extensions.get(state.extension.id);
  expect(typeof used.last_used_at === 'string', `last_used_at ${json(used.last_used_at)} after a browser loaded it`);
  await client.browsers.deleteByID(browser.session_id);
});

await step('create, retrieve, update and list browser pools', ['upload, retrieve, list and download an extension'], async () => {
  const { data, response } = await client.browserPools.create({ name: POOL, size: 2, fill_rate_per_minute: 25, headless: true, timeout_seconds: 600, extensions: [{ name: EXTENSION }] }).withResponse();
  expect(response.status === 201, `HTTP ${response.status}, expected 201`);
  checkPool(data, 'browser pool');
  expect(data.name === POOL && data.browser_pool_config.size === 2 && data.browser_pool_config.headless === true, `pool ${json(data)}`);
  expect(data.extension_ids.length === 1 && data.extension_ids[0] === state.extension.id, `extension_ids ${json(data.extension_ids)}`);
  const other = await client.browserPools.create({ size: 1 });
  checkPool(other, 'unnamed pool');
  const exact = [];
  for await (const p of client.browserPools.list({ name: POOL.toUpperCase() })) exact.push(p.id);
  expect(exact.length === 1 && exact[0] === data.id, `name filter (any case) listed ${json(exact)}`);
  const all = [];
  for await (const p of client.browserPools.list({ limit: 1 })) { checkPool(p, 'listed pool'); all.push(p.id); }
  expect(all.includes(data.id) && all.includes(other.id), `paged list (limit 1) has ${json(all)}`);
  const updated = await client.browserPools.update(other.id, { size: 2, stealth: true });
  checkPool(updated, 'updated pool');
  expect(updated.browser_pool_config.size === 2 && updated.browser_pool_config.stealth === true, `update gave ${json(updated.browser_pool_config)}`);
  await client.browserPools.delete(other.id);
  state.pool = data;
  state.poolFull = await waitForPool(POOL, (p) => p.available_count === 2);
});

await step('acquire a browser from a pool, release it, and flush the pool', ['create, retrieve, update and list browser pools'], async () => {
  const first = await client.browserPools.acquire(POOL, { acquire_timeout_seconds: 10, name: `leased-${runId}`, tags: { job: 'referee' } });
  checkBrowser(first, 'acquired browser');
  expect(first.pool && first.pool.id === state.pool.id && first.pool.name === POOL, `pool ${json(first.pool)}`);
  expect(first.name === `leased-${runId}` && first.tags && first.tags.job === 'referee', `lease name ${json(first.name)}, tags ${json(first.tags)}`);
  const second = await client.browserPools.acquire(POOL, { acquire_timeout_seconds: 10 });
  const counted = await client.browserPools.retrieve(POOL);
  expect(counted.acquired_count === 2 && counted.available_count === 0, `after two acquires: ${counted.available_count} available, ${counted.acquired_count} acquired`);
  const started = Date.now();
  const none = await client.browserPools.acquire(POOL, { acquire_timeout_seconds: 1 }).asResponse();
  expect(none.status === 204 && Date.now() - started >= 1000, `an acquire with none free answered HTTP ${none.status} after ${Date.now() - started} ms, expected 204 after its 1 s`);
  const waiting = client.browserPools.acquire(POOL, { acquire_timeout_seconds: 30 });
  const released = await client.browserPools.release(POOL, { session_id: first.session_id, reuse: true }).asResponse();
  expect(released.status === 204, `release: HTTP ${released.status}, expected 204`);
  const handedOver = await waiting;
  expect(handedOver.session_id === first.session_id, `the waiting acquire got ${handedOver.session_id}, not the released ${first.session_id}`);
  await client.browserPools.release(POOL, { session_id: second.session_id, reuse: false });
  const ended = await client.browsers.retrieve(second.session_id, { include_deleted: true });
  expect(typeof ended.deleted_at === 'string', 'a browser released without reuse did not end');
  try {
    await client.browserPools.release(POOL, { session_id: second.session_id });
    throw new Error('releasing a browser no longer leased succeeded');
  } catch (e) {
    expect(e instanceof Kernel.BadRequestError, `releasing a browser no longer leased: ${e.constructor.name} ${e.status}, expected BadRequestError`);
  }
  const flushed = await client.browserPools.flush(POOL).asResponse();
  expect(flushed.status === 204, `flush: HTTP ${flushed.status}, expected 204`);
  const afterFlush = await client.browserPools.retrieve(POOL);
  expect(afterFlush.acquired_count === 1, `flush touched a leased browser: ${afterFlush.acquired_count} acquired`);
  state.leased = handedOver;
});

await step('a pool with leased browsers is deleted only with force', ['acquire a browser from a pool, release it, and flush the pool'], async () => {
  try {
    await client.browserPools.delete(POOL);
    throw new Error('the delete succeeded while a browser was leased');
  } catch (e) {
    expect(e instanceof Kernel.BadRequestError, `${e.constructor.name} ${e.status}, expected BadRequestError`);
    checkErrorBody(e.error);
  }
  const response = await client.browserPools.delete(POOL, { force: true }).asResponse();
  expect(response.status === 204, `HTTP ${response.status}, expected 204`);
  await expectNotFound(() => client.browserPools.retrieve(POOL), 'retrieve after delete');
  const leased = await client.browsers.retrieve(state.leased.session_id, { include_deleted: true });
  expect(typeof leased.deleted_at === 'string', 'the leased browser outlived its pool');
  await client.extensions.delete(EXTENSION);
});

await step('missing browsers, profiles, proxies, extensions and pools are NotFoundErrors', [], async () => {
  await expectNotFound(() => client.browsers.retrieve(`missing-${runId}`), 'browser');
  await expectNotFound(() => client.extensions.get(`missing-${runId}`), 'extension');
  await expectNotFound(() => client.browserPools.retrieve(`missing-${runId}`), 'browser pool');
  await expectNotFound(() => client.browserPools.acquire(`missing-${runId}`, {}), 'acquire from a missing pool');
  await expectNotFound(() => client.profiles.retrieve(`missing-${runId}`), 'profile');
  await expectNotFound(() => client.proxies.retrieve(`missing-${runId}`), 'proxy');
  await expectNotFound(() => client.browsers.deleteByID(`missing-${runId}`), 'browser delete');
});

await step('a wrong API key is an AuthenticationError', [], async () => {
  const stranger = new Kernel({ baseURL, apiKey: 'sk_wrong_key_for_the_referee', maxRetries: 0, timeout: 30_000 });
  try {
    await stranger.deployments.list({ limit: 1 });
  } catch (e) {
    expect(e instanceof Kernel.AuthenticationError, `${e.constructor.name}: ${e.message}, expected AuthenticationError`);
    checkErrorBody(e.error);
    return;
  }
  throw new Error('the list succeeded with a wrong key');
});

console.log(JSON.stringify(counts));
process.exit(counts.failed > 0 ? 1 : 0);

// ---- shape checks (kernel-api.md §3–8; loose on extras, strict on what is required) ---------------------------

function checkDeployment(d, what) {
  expect(d && typeof d === 'object', `${what} is not an object: ${json(d)}`);
  expect(typeof d.id === 'string' && d.id.length > 0, `${what}.id must be a non-empty string`);
  isTimestamp(d.created_at, `${what}.created_at`);
  expect(d.region === REGION, `${what}.region ${json(d.region)}, expected ${REGION}`);
  expect(DEPLOYMENT_STATUSES.includes(d.status), `${what}.status ${json(d.status)} is not one of ${DEPLOYMENT_STATUSES.join('|')}`);
  optional(d, 'status_reason', 'string', what);
  optional(d, 'entrypoint_rel_path', 'string', what);
  if (d.env_vars !== undefined) stringMap(d.env_vars, `${what}.env_vars`);
  if (d.updated_at !== undefined && d.updated_at !== null) isTimestamp(d.updated_at, `${what}.updated_at`);
  if (d.source_type !== undefined) expect(['file', 'github'].includes(d.source_type), `${what}.source_type ${json(d.source_type)}`);
  if (d.source_checksum !== undefined) expect(/^[0-9a-f]{64}$/.test(d.source_checksum), `${what}.source_checksum ${json(d.source_checksum)} is not a hex SHA-256`);
  for (const name of ['source_url', 'source_ref', 'source_path']) optional(d, name, 'string', what);
}

function checkAppVersion(a, what) {
  expect(a && typeof a === 'object', `${what} is not an object`);
  for (const name of ['id', 'app_name', 'version', 'deployment']) expect(typeof a[name] === 'string' && a[name].length > 0, `${what}.${name} must be a non-empty string (got ${json(a[name])})`);
  expect(a.region === REGION, `${what}.region ${json(a.region)}`);
  checkActions(a.actions, `${what}.actions`);
  expect(a.env_vars !== undefined, `${what}.env_vars is required`);
  stringMap(a.env_vars, `${what}.env_vars`);
}

function checkActions(actions, what) {
  expect(Array.isArray(actions), `${what} must be an array`);
  actions.forEach((a, i) => {
    expect(a && typeof a.name === 'string' && a.name.length > 0, `${what}[${i}].name must be a non-empty string`);
    for (const schema of ['input_schema', 'output_schema']) {
      expect(a[schema] === undefined || a[schema] === null || (typeof a[schema] === 'object' && !Array.isArray(a[schema])), `${what}[${i}].${schema} must be an object or null`);
    }
  });
  expect(actions.some((a) => a.name === ACTION), `${what} lacks ${ACTION}: ${json(actions)}`);
}

function checkInvokeResponse(r, what) {
  expect(r && typeof r === 'object', `${what} is not an object`);
  expect(typeof r.id === 'string' && r.id.length > 0, `${what}.id must be a non-empty string`);
  expect(r.action_name === ACTION, `${what}.action_name ${json(r.action_name)}`);
  expect(INVOCATION_STATUSES.includes(r.status), `${what}.status ${json(r.status)}`);
  optional(r, 'output', 'string', what);
  optional(r, 'status_reason', 'string', what);
}

function checkInvocation(i, what) {
  expect(i && typeof i === 'object', `${what} is not an object`);
  for (const name of ['id', 'app_name', 'version', 'action_name']) expect(typeof i[name] === 'string' && i[name].length > 0, `${what}.${name} must be a non-empty string (got ${json(i[name])})`);
  isTimestamp(i.started_at, `${what}.started_at`);
  expect(INVOCATION_STATUSES.includes(i.status), `${what}.status ${json(i.status)}`);
  if (i.finished_at !== undefined && i.finished_at !== null) isTimestamp(i.finished_at, `${what}.finished_at`);
  if (['queued', 'running'].includes(i.status)) expect(i.finished_at === undefined || i.finished_at === null, `${what}.finished_at is set while ${i.status}`);
  optional(i, 'payload', 'string', what);
  optional(i, 'output', 'string', what);
  optional(i, 'status_reason', 'string', what);
  if (typeof i.output === 'string') parseJson(i.output, `${what}.output`);
}

function checkEvent(e) {
  expect(e && typeof e === 'object', `event ${json(e)} is not an object`);
  expect(['log', 'deployment_state', 'app_version_summary', 'invocation_state', 'error', 'sse_heartbeat'].includes(e.event), `unknown event ${json(e.event)}`);
  isTimestamp(e.timestamp, `${e.event}.timestamp`);
  if (e.event === 'log') expect(typeof e.message === 'string', 'log.message must be a string');
  if (e.event === 'error') checkErrorBody(e.error);
}

function checkBrowser(b, what) {
  expect(b && typeof b === 'object', `${what} is not an object`);
  for (const name of ['session_id', 'cdp_ws_url', 'webdriver_ws_url']) expect(typeof b[name] === 'string' && b[name].length > 0, `${what}.${name} must be a non-empty string`);
  isTimestamp(b.created_at, `${what}.created_at`);
  for (const name of ['headless', 'stealth']) expect(typeof b[name] === 'boolean', `${what}.${name} must be a boolean`);
  expect(Number.isInteger(b.timeout_seconds), `${what}.timeout_seconds must be an integer`);
  for (const name of ['name', 'browser_live_view_url', 'base_url', 'proxy_id', 'start_url']) optional(b, name, 'string', what);
  for (const name of ['gpu', 'kiosk_mode']) optional(b, name, 'boolean', what);
  if (b.tags !== undefined) stringMap(b.tags, `${what}.tags`);
  if (b.profile !== undefined) checkProfile(b.profile, `${what}.profile`);
  if (b.viewport !== undefined) expect(Number.isInteger(b.viewport.width) && Number.isInteger(b.viewport.height), `${what}.viewport ${json(b.viewport)}`);
  if (b.usage !== undefined) expect(Number.isInteger(b.usage.uptime_ms), `${what}.usage.uptime_ms must be an integer`);
  if (b.deleted_at !== undefined) isTimestamp(b.deleted_at, `${what}.deleted_at`);
}

function checkProfile(p, what) {
  expect(p && typeof p.id === 'string' && p.id.length > 0, `${what}.id must be a non-empty string`);
  isTimestamp(p.created_at, `${what}.created_at`);
  if (p.name !== undefined && p.name !== null) expect(typeof p.name === 'string', `${what}.name must be a string or null`);
  for (const name of ['updated_at', 'last_used_at']) if (p[name] !== undefined) isTimestamp(p[name], `${what}.${name}`);
}

function checkProxy(p, what) {
  expect(p && typeof p.id === 'string' && p.id.length > 0, `${what}.id must be a non-empty string`);
  expect(['datacenter', 'isp', 'residential', 'mobile', 'custom'].includes(p.type), `${what}.type ${json(p.type)}`);
  if (p.protocol !== undefined) expect(['http', 'https'].includes(p.protocol), `${what}.protocol ${json(p.protocol)}`);
  if (p.status !== undefined) expect(['available', 'unavailable'].includes(p.status), `${what}.status ${json(p.status)}`);
  for (const name of ['name', 'ip_address']) optional(p, name, 'string', what);
  if (p.last_checked !== undefined) isTimestamp(p.last_checked, `${what}.last_checked`);
  if (p.bypass_hosts !== undefined) expect(Array.isArray(p.bypass_hosts), `${what}.bypass_hosts must be an array`);
  if (p.config !== undefined) expect(typeof p.config === 'object' && p.config.password === undefined, `${what}.config ${json(p.config)} (never a password)`);
}

function checkExtension(e, what) {
  expect(e && typeof e.id === 'string' && e.id.length > 0, `${what}.id must be a non-empty string`);
  isTimestamp(e.created_at, `${what}.created_at`);
  expect(Number.isInteger(e.size_bytes), `${what}.size_bytes must be an integer`);
  if (e.checksum !== undefined && e.checksum !== null) expect(/^[0-9a-f]{64}$/.test(e.checksum), `${what}.checksum ${json(e.checksum)} is not a hex SHA-256`);
  if (e.name !== undefined && e.name !== null) expect(typeof e.name === 'string', `${what}.name must be a string or null`);
  if (e.last_used_at !== undefined && e.last_used_at !== null) isTimestamp(e.last_used_at, `${what}.last_used_at`);
}

function checkPool(p, what) {
  expect(p && typeof p.id === 'string' && p.id.length > 0, `${what}.id must be a non-empty string`);
  isTimestamp(p.created_at, `${what}.created_at`);
  for (const name of ['acquired_count', 'available_count']) expect(Number.isInteger(p[name]) && p[name] >= 0, `${what}.${name} must be a count`);
  expect(p.browser_pool_config && Number.isInteger(p.browser_pool_config.size), `${what}.browser_pool_config.size must be an integer`);
  expect(Array.isArray(p.extension_ids) && p.extension_ids.every((id) => typeof id === 'string'), `${what}.extension_ids must be an array of strings`);
  for (const name of ['name', 'profile_id']) optional(p, name, 'string', what);
  const config = p.browser_pool_config;
  for (const name of ['fill_rate_per_minute', 'timeout_seconds']) if (config[name] !== undefined) expect(Number.isInteger(config[name]), `${what}.browser_pool_config.${name} must be an integer`);
  for (const name of ['headless', 'stealth', 'kiosk_mode']) optional(config, name, 'boolean', `${what}.browser_pool_config`);
  expect(p.available_count + p.acquired_count <= config.size, `${what}: ${p.available_count} available and ${p.acquired_count} acquired exceed its size ${config.size}`);
}

// The pool as retrieved once it is as wanted (it fills at its rate), or an error after 20 s.
async function waitForPool(idOrName, done) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const pool = await client.browserPools.retrieve(idOrName);
    checkPool(pool, 'retrieved pool');
    if (done(pool)) return pool;
    if (Date.now() > deadline) throw new Error(`pool ${idOrName} stayed at ${pool.available_count} available, ${pool.acquired_count} acquired`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function checkReplay(r, what) {
  expect(r && typeof r.replay_id === 'string' && r.replay_id.length > 0, `${what}.replay_id must be a non-empty string`);
  for (const name of ['started_at', 'finished_at']) if (r[name] !== undefined && r[name] !== null) isTimestamp(r[name], `${what}.${name}`);
  optional(r, 'replay_view_url', 'string', what);
}

async function expectNotFound(call, what) {
  try {
    await call();
  } catch (e) {
    expect(e instanceof Kernel.NotFoundError, `${what}: ${e.constructor.name} ${e.status}, expected NotFoundError`);
    checkErrorBody(e.error);
    return;
  }
  throw new Error(`${what}: no error, expected NotFoundError`);
}

function checkErrorBody(body) {
  expect(body && typeof body.code === 'string' && typeof body.message === 'string', `error body ${json(body)} lacks code and message strings (§3)`);
}

function isTimestamp(value, what) {
  expect(typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value) && !Number.isNaN(Date.parse(value)), `${what} ${json(value)} is not an RFC 3339 date-time`);
}

function optional(object, name, type, what) {
  if (object[name] !== undefined) expect(typeof object[name] === type, `${what}.${name} must be a ${type} (got ${json(object[name])})`);
}

function stringMap(value, what) {
  expect(value && typeof value === 'object' && !Array.isArray(value), `${what} must be an object`);
  for (const [k, v] of Object.entries(value)) expect(typeof v === 'string', `${what}.${k} must be a string`);
}

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} ${json(text)} is not JSON text`);
  }
}

// ---- harness ------------------------------------------------------------------------------------------------

async function step(name, needs, body) {
  const missing = needs.filter((n) => outcome[n] !== true);
  if (missing.length > 0) {
    counts.skipped++;
    outcome[name] = false;
    console.log(`skip ${name}: needs "${missing.join('", "')}", which did not pass`);
    return;
  }
  let timer;
  try {
    await Promise.race([
      body(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no result within ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS); }),
    ]);
    counts.passed++;
    outcome[name] = true;
    console.log(`ok ${name}`);
  } catch (e) {
    counts.failed++;
    outcome[name] = false;
    const reason = e instanceof Kernel.APIError ? `${e.constructor.name} ${e.status}: ${e.message}` : e.message;
    console.log(`not ok ${name}: ${String(reason).replace(/\s+/g, ' ')}`);
  } finally {
    clearTimeout(timer);
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

// Ends a stream that stays silent or open too long: the iteration then ends, and the step fails on what it missed.
async function* withDeadline(stream, ms) {
  const timer = setTimeout(() => stream.controller.abort(), ms);
  try {
    for await (const item of stream) yield item;
  } finally {
    clearTimeout(timer);
    stream.controller.abort();
  }
}

function json(value) {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 200 ? text.slice(0, 200) + '…' : text;
}

function parseArgs(list) {
  const parsed = {};
  for (let i = 0; i < list.length; i += 2) parsed[list[i].replace(/^--/, '')] = list[i + 1];
  return parsed;
}

// ---- a tiny ZIP writer (deflate from node:zlib, CRC-32 below): no dependency beyond the two pinned packages ----

function zipFolder(root) {
  const files = [];
  (function walk(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.push({ name: path.relative(root, full).split(path.sep).join('/'), data: fs.readFileSync(full) });
    }
  })(root);
  if (files.length === 0) throw new Error(`no files under ${root}`);
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const packed = zlib.deflateRawSync(file.data);
    const crc = crc32(file.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time 00:00
    local.writeUInt16LE((2020 - 1980) << 9 | 1 << 5 | 1, 12); // 2020-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    local.copy(central, 6, 4, 30); // version needed … name length, same order
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function crc32(data) {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
