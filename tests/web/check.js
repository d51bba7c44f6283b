// check.js: drives Debian's headless Chromium over the DevTools protocol
// (--remote-debugging-pipe: no npm package needed) against csperf-web:
// signs in with a token, checks the page's table against GetScorecard (the
// csperf tool's JSON), loads more data and waits for the page to change
// without a reload, measures the time from the load's commit to the
// browser's update, checks the page on a phone-sized screen, and keeps
// screenshots. Exits non-zero with a reason on any failure.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const path = require('path');

const env = process.env;
const web = env.WEB_URL;               // http://127.0.0.1:PORT
const out = env.OUT_DIR;               // screenshots go here
const council = env.COUNCIL, period = env.PERIOD;

function fail(message) {
  console.error('FAIL: ' + message);
  process.exit(1);
}

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

// ---- the DevTools protocol over the pipe (messages end with a NUL) ----
const chrome = spawn(env.CHROMIUM || '/usr/bin/chromium', [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--no-first-run', '--no-default-browser-check', '--remote-debugging-pipe',
  '--user-data-dir=' + env.CHROME_PROFILE, '--window-size=1280,1000', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
let chromeLog = '';
chrome.stderr.on('data', (d) => { chromeLog += d; });
chrome.on('exit', (code) => { if (!finished) fail('chromium exited ' + code + ':\n' + chromeLog.slice(-2000)); });
let finished = false;
const toChrome = chrome.stdio[3], fromChrome = chrome.stdio[4];
let nextId = 1, buffered = '';
const waiting = new Map();
fromChrome.on('data', (chunk) => {
  buffered += chunk.toString('utf8');
  let end;
  while ((end = buffered.indexOf('\0')) >= 0) {
    const message = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    if (message.id && waiting.has(message.id)) {
      const { resolve, reject, method } = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error) reject(new Error(method + ': ' + message.error.message));
      else resolve(message.result);
    }
  }
});
function send(method, params, sessionId) {
  const id = nextId++;
  const message = { id, method, params: params || {} };
  if (sessionId) message.sessionId = sessionId;
  toChrome.write(JSON.stringify(message) + '\0');
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject, method }));
}

let session;
async function evaluate(expression) {
  const r = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, session);
  if (r.exceptionDetails) throw new Error('page script failed: ' + r.exceptionDetails.text + ' in ' + expression);
  return r.result.value;
}
async function waitFor(expression, what, timeoutMs) {
  const until = Date.now() + (timeoutMs || 20000);
  for (;;) {
    let value = null;
    try { value = await evaluate(expression); } catch (e) { /* navigating */ }
    if (value) return value;
    if (Date.now() > until) fail('timed out waiting for ' + what + ' (page: ' +
      await evaluate('location.href + " " + document.title').catch(() => '?') + ')');
    await sleep(50);
  }
}
async function navigate(url) {
  await send('Page.navigate', { url }, session);
  await waitFor('document.readyState === "complete" && location.href === ' + JSON.stringify(url),
                'the page ' + url);
}
async function screenshot(name) {
  const shot = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, session);
  const file = path.join(out, name);
  fs.writeFileSync(file, Buffer.from(shot.data, 'base64'));
  console.log('screenshot: ' + file);
}

// ---- what csperfd says ----
function csperf(args) {
  return execFileSync(env.CSPERF, args, { env: { ...env, CSPERF_TOKEN: env.TOKEN }, encoding: 'utf8',
                                           maxBuffer: 64 * 1024 * 1024 });
}
function getScorecard() {
  return JSON.parse(csperf(['-f', 'json', 'scorecard', '--council', council, '--period', period]));
}
async function pageRows() {
  return evaluate(`[...document.querySelectorAll('#table tr[data-indicator]')].map(tr => ({
    id: tr.getAttribute('data-indicator'), value: tr.getAttribute('data-value'),
    rag: tr.getAttribute('data-rag'), text: tr.innerText }))`);
}
// Why the page's rows differ from GetScorecard's, or null when they agree.
function differs(rows, scorecard, when) {
  const fail = (message) => { throw new Error(message); };
  if (rows.length !== scorecard.rows.length)
    fail(`${when}: the page shows ${rows.length} rows, GetScorecard ${scorecard.rows.length}`);
  for (const want of scorecard.rows) {
    const got = rows.find((r) => r.id === want.indicator_id);
    if (!got) fail(`${when}: ${want.indicator_id} is not on the page`);
    if (got.rag !== want.rag) fail(`${when}: ${want.indicator_id} RAG ${got.rag} on the page, ${want.rag} from GetScorecard`);
    const shown = got.value === '' ? null : Number(got.value);
    const value = want.value === null ? null : Number(want.value);
    if ((shown === null) !== (value === null) || (shown !== null && Math.abs(shown - value) > 1e-9 * Math.max(1, Math.abs(value))))
      fail(`${when}: ${want.indicator_id} value ${got.value} on the page, ${want.value} from GetScorecard`);
    const word = { red: 'Red', amber: 'Amber', green: 'Green', none: 'No target' }[want.rag];
    if (!got.text.includes(word)) fail(`${when}: ${want.indicator_id}'s RAG is not in words: ${got.text}`);
  }
}
function compare(rows, scorecard, when) {
  try { differs(rows, scorecard, when); } catch (e) { return e.message; }
  return null;
}

function request(method, url, headers, body) {
  return new Promise((resolve, reject) => {
    const r = http.request(url, { method, headers }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    r.on('error', reject);
    if (body) r.write(body);
    r.end();
  });
}

async function checkHeaders() {
  const signin = await request('GET', web + '/signin');
  const csp = signin.headers['content-security-policy'] || '';
  if (!csp.includes("default-src 'none'") || !csp.includes("script-src 'self'"))
    fail('the sign-in page has no strict Content-Security-Policy: ' + csp);
  const bad = await request('POST', web + '/signin', { 'Content-Type': 'application/x-www-form-urlencoded' },
                            'token=csperf_' + '0'.repeat(64));
  if (bad.status !== 401 || bad.headers['set-cookie']) fail('a wrong token was not refused: ' + bad.status);
  const good = await request('POST', web + '/signin', { 'Content-Type': 'application/x-www-form-urlencoded' },
                             'token=' + encodeURIComponent(env.TOKEN));
  const cookie = (good.headers['set-cookie'] || [''])[0];
  if (good.status !== 303 || !/HttpOnly/.test(cookie) || !/SameSite=Strict/.test(cookie))
    fail('sign-in did not set an HttpOnly, SameSite=Strict cookie: ' + good.status + ' ' + cookie);
  const anonymous = await request('GET', web + `/c/${council}/${period}`);
  if (anonymous.status !== 303 || anonymous.headers.location !== '/signin')
    fail('a page without a sign-in was not sent to /signin: ' + anonymous.status);
  const js = await request('GET', web + '/static/web.js');
  if (js.status !== 200 || !js.body.includes('EventSource')) fail('the script is not served');
}

function commitTimeMs() {
  // The load's recompute commits its values and compute_run in one
  // transaction, right after it measured how long it took: its start
  // (computed_at) plus that is the commit, to a few milliseconds.
  const sql = `SELECT (extract(epoch FROM computed_at) * 1000 + milliseconds)::bigint FROM compute_run WHERE council = '${council}'`;
  const text = execFileSync('psql', ['-h', env.PG_HOST, '-p', env.PG_PORT, '-U', 'postgres', '-d', 'csperf', '-Atc', sql],
                            { encoding: 'utf8' }).trim();
  return Number(text);
}

(async () => {
  await checkHeaders();
  const target = await send('Target.createTarget', { url: 'about:blank' });
  session = (await send('Target.attachToTarget', { targetId: target.targetId, flatten: true })).sessionId;
  await send('Page.enable', {}, session);
  await send('Runtime.enable', {}, session);

  // Sign in as a person would.
  await navigate(web + '/signin');
  await evaluate(`document.getElementById('token').value = ${JSON.stringify(env.TOKEN)};
                  document.querySelector('form[action="/signin"]').submit(); true`);
  await waitFor('location.pathname === "/" && document.readyState === "complete" && !!document.querySelector("form.open")',
                'the home page after signing in');
  const cookieVisible = await evaluate('document.cookie');
  if (cookieVisible.includes('csperf_token')) fail('the token cookie is readable by scripts');

  // The council's page, live.
  await navigate(`${web}/c/${council}/${period}`);
  await waitFor('Number(document.getElementById("live").getAttribute("data-sequence")) > 0',
                'the first live update');
  const before = compare(await pageRows(), getScorecard(), 'before the load');
  if (before) fail(before);
  await screenshot('dashboard-before.png');
  const sequence = await evaluate('Number(document.getElementById("live").getAttribute("data-sequence"))');
  await evaluate(`window.__samePage = 'yes';
    new MutationObserver(() => { if (!window.__updatedAt) window.__updatedAt = Date.now(); })
      .observe(document.getElementById('live'), { attributes: true, attributeFilter: ['data-sequence'] }); true`);

  // More data: the page must change by itself.
  const loadStarted = Date.now();
  csperf(['load', '--council', council, '--format', 'cin-xml', env.LOAD_FILE]);
  const loadReturned = Date.now();
  await waitFor(`Number(document.getElementById("live").getAttribute("data-sequence")) > ${sequence}`,
                'the page to change after the load', 30000);
  if (await evaluate('window.__samePage') !== 'yes') fail('the page was reloaded');
  const updatedAt = await evaluate('window.__updatedAt');
  const committed = commitTimeMs();
  if (!(committed >= loadStarted - 1000 && committed <= loadReturned + 1000))
    fail(`the commit time ${committed} is not within the load (${loadStarted}..${loadReturned})`);
  console.log(`browser update: ${updatedAt - committed} ms after the load's commit ` +
              `(${updatedAt - loadReturned} ms after csperf load returned; the load took ${loadReturned - loadStarted} ms)`);
  // The page now shows what GetScorecard says after the load (a second
  // update may follow the first for the same load).
  const after = getScorecard();
  const until = Date.now() + 20000;
  for (;;) {
    const why = compare(await pageRows(), after, 'after the load');
    if (!why) break;
    if (Date.now() > until) fail(why);
    await sleep(100);
  }
  await sleep(300);
  await screenshot('dashboard-after.png');

  // A phone: no sideways scrolling, the rows as labelled cards.
  await send('Emulation.setDeviceMetricsOverride', { width: 390, height: 844, deviceScaleFactor: 2, mobile: true }, session);
  await sleep(300);
  const overflow = await evaluate('document.documentElement.scrollWidth - window.innerWidth');
  if (overflow > 1) fail(`on a phone the page scrolls sideways by ${overflow}px`);
  await screenshot('dashboard-phone.png');

  // The committee report is linked and served.
  const report = await evaluate(`fetch(document.querySelector('a[href$="/report"]').href).then(r => r.status + ' ' + r.headers.get('content-type'))`);
  if (!report.startsWith('200 text/html')) fail('the committee report link answered ' + report);

  finished = true;
  await send('Browser.close').catch(() => {});
  console.log('web: signed in, table equal to GetScorecard, live update without reload, phone layout, report link: ok');
  process.exit(0);
})().catch((e) => fail(e.stack || String(e)));
