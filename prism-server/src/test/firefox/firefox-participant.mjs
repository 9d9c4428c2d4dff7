// One headless Firefox (Debian's firefox-esr) driven over WebDriver BiDi by puppeteer-core, for FirefoxBrowser.java.
//
// Usage: node firefox-participant.mjs <firefox binary> <fresh profile directory>
// Protocol: one JSON object per line. Requests on stdin: {id, cmd, ...}; replies on stdout: {id, ok, value|error}.
// The first line written is {"ready": true, "version": "..."} once the browser runs (or {"ready": false, "error"}).
//   open {url}          navigate and wait for the load event
//   eval {expression}   evaluate an expression in the page (a promise is awaited); its value must be JSON-able
//   console             every console line of the page so far
//   screenshot {path}   PNG of the viewport
//   close               quit the browser, reply, exit
// Nothing downloads a browser: the binary is given, and ./test sets PUPPETEER_SKIP_DOWNLOAD for npm ci.
// The browser is closed when stdin ends (the JVM died) or on SIGTERM/SIGINT too, so no Firefox outlives its test.
import { createInterface } from 'node:readline';
import puppeteer from 'puppeteer-core';

const [binary, profile] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

// Fake camera and microphone without a permission prompt; autoplay allowed so remote media plays in the page.
const PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // A floor under the send-side estimate (kbit/s): the test checks that every simulcast layer reaches Prism, not how
  // fast Firefox's estimator climbs on a machine whose load is many times its core count (without it Firefox sent
  // only q and, on and off, h for 90 s there). On loopback the link carries it.
  'media.peerconnection.video.min_bitrate_estimate': 2500,
  // No first-run pages, updates or telemetry in a throw-away profile.
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
};

let browser;
let page;
const consoleLines = [];
let closing;

async function close() {
  closing ??= (async () => {
    try {
      await browser?.close();
    } catch {
      browser?.process()?.kill('SIGKILL');
    }
  })();
  return closing;
}

async function start() {
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: binary,
    userDataDir: profile,
    headless: true,
    protocol: 'webDriverBiDi',
    extraPrefsFirefox: PREFS,
    args: ['--width=1280', '--height=800'],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  page = (await browser.pages())[0] ?? (await browser.newPage());
  page.on('console', (m) => consoleLines.push(`${new Date().toISOString().slice(11, 23)} ${m.type()} ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`${new Date().toISOString().slice(11, 23)} pageerror ${e}`));
  page.setDefaultNavigationTimeout(30000);
  return browser.version();
}

const commands = {
  async open({ url }) {
    await page.goto(url, { waitUntil: 'load' });
    return null;
  },
  async eval({ expression }) {
    const v = await page.evaluate(expression);
    return v === undefined ? null : v;
  },
  async console() {
    return consoleLines;
  },
  async screenshot({ path }) {
    await page.screenshot({ path });
    return path;
  },
  async close() {
    await close();
    return null;
  },
};

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => close().finally(() => process.exit(1)));
}

try {
  out({ ready: true, version: await start() });
} catch (e) {
  out({ ready: false, error: String(e?.stack ?? e) });
  await close();
  process.exit(1);
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    out({ id: null, ok: false, error: `bad request: ${e}` });
    continue;
  }
  const command = commands[request.cmd];
  try {
    if (!command) throw new Error(`unknown command ${request.cmd}`);
    out({ id: request.id, ok: true, value: await command(request) });
  } catch (e) {
    out({ id: request.id, ok: false, error: String(e?.stack ?? e) });
  }
  if (request.cmd === 'close') break;
}
// stdin ended (the test closed it, or the JVM is gone): never leave Firefox behind.
await close();
process.exit(0);
