// Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages separated by
// NUL on fds 3 and 4), so browser tests need no npm package and no WebSocket client.
//
// Fake camera and microphone, no permission prompts, autoplay allowed: what a conference page needs in CI.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CANDIDATES = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Path of a Chromium binary, or null when none is installed. */
export function findChromium() {
  return CANDIDATES.find((p) => p && existsSync(p)) ?? null;
}

export class Browser {
  /** @param {{width?: number, height?: number}} [options] */
  static async launch({ width = 1280, height = 800 } = {}) {
    const binary = findChromium();
    if (!binary) throw new Error('no chromium found');
    const profile = mkdtempSync(path.join(tmpdir(), 'prism-chromium-'));
    const child = spawn(binary, [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--no-default-browser-check', '--disable-extensions', '--mute-audio',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      `--window-size=${width},${height}`, `--user-data-dir=${profile}`,
      '--remote-debugging-pipe', 'about:blank',
    ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    const browser = new Browser(child, profile);
    const { targetInfos } = await browser.send('Target.getTargets');
    const page = targetInfos.find((t) => t.type === 'page');
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
    browser.sessionId = sessionId;
    await browser.send('Page.enable', {}, sessionId);
    await browser.send('Runtime.enable', {}, sessionId);
    return browser;
  }

  constructor(child, profile) {
    this.child = child;
    this.profile = profile;
    this.sessionId = null;
    this.consoleMessages = [];
    this._nextId = 1;
    this._waiting = new Map();
    this._stderr = '';
    let pending = '';
    child.stdio[4].on('data', (chunk) => {
      pending += chunk.toString('utf8');
      let end;
      while ((end = pending.indexOf('\0')) >= 0) {
        this._onMessage(JSON.parse(pending.slice(0, end)));
        pending = pending.slice(end + 1);
      }
    });
    child.stderr.on('data', (chunk) => {
      this._stderr = (this._stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('exit', () => {
      for (const { reject } of this._waiting.values()) reject(new Error(`chromium exited: ${this._stderr}`));
      this._waiting.clear();
    });
  }

  /** Sends one DevTools command; resolves with its result. */
  send(method, params = {}, sessionId = undefined) {
    const id = this._nextId++;
    const message = { id, method, params };
    if (sessionId) message.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this._waiting.set(id, { resolve, reject, method });
      this.child.stdio[3].write(`${JSON.stringify(message)}\0`);
    });
  }

  async goto(url) {
    await this.send('Page.navigate', { url }, this.sessionId);
  }

  /** Evaluates an expression in the page (promises awaited) and returns its JSON value. */
  async eval(expression) {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true }, this.sessionId);
    if (exceptionDetails) throw new Error(`page threw: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  }

  /** Polls an expression until it is truthy; returns its value. */
  async waitFor(expression, { timeoutMs = 10000, what = expression } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.eval(expression).catch(() => undefined);
      if (value) return value;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; console:\n${this.consoleMessages.slice(-20).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** @returns {Promise<Buffer>} a PNG of the viewport */
  async screenshot() {
    const { data } = await this.send('Page.captureScreenshot', { format: 'png' }, this.sessionId);
    return Buffer.from(data, 'base64');
  }

  async close() {
    const exited = this.child.exitCode !== null ? Promise.resolve()
      : new Promise((resolve) => this.child.once('exit', resolve));
    this.send('Browser.close').catch(() => {});
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    try {
      rmSync(this.profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // a helper process may still be flushing into the profile; it is only a temp dir
    }
  }

  _onMessage(message) {
    if (message.id !== undefined) {
      const waiter = this._waiting.get(message.id);
      if (!waiter) return;
      this._waiting.delete(message.id);
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
      return;
    }
    if (message.method === 'Runtime.consoleAPICalled') {
      const text = message.params.args.map((a) => a.value ?? a.description ?? a.type).join(' ');
      this.consoleMessages.push(`${message.params.type}: ${text}`);
    } else if (message.method === 'Runtime.exceptionThrown') {
      this.consoleMessages.push(`exception: ${message.params.exceptionDetails.exception?.description ?? message.params.exceptionDetails.text}`);
    }
  }
}
