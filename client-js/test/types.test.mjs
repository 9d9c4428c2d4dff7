// Keeps the hand-written prism-sdk.d.ts honest without a TypeScript compiler: parses the declarations roughly and
// checks them against the real module, both ways (every declared value exists, every exported value is declared;
// class members, event names, constructor options and PrismError codes). Run: npm test (in client-js/).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';

import * as sdk from '../sdk/prism-sdk.js';

const read = (rel) => readFile(new URL(rel, import.meta.url), 'utf8');
const DTS = stripComments(await read('../prism-sdk.d.ts'));
/** Every SDK module, the public entry first (its PrismClient constructor is the first `constructor(options = {})`). */
const MODULES = (await readdir(new URL('../sdk/', import.meta.url))).filter((f) => f.endsWith('.js'))
  .sort((a, b) => (b === 'prism-sdk.js') - (a === 'prism-sdk.js') || a.localeCompare(b));
const SOURCES = (await Promise.all(MODULES.map((f) => read(`../sdk/${f}`)))).join('\n');

/** Removes block and line comments (the .d.ts has no string literals containing comment markers). */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

/** The text between the braces that follow `header`, e.g. `export class PrismClient`. */
function body(header) {
  const start = DTS.indexOf(header);
  assert.notEqual(start, -1, `prism-sdk.d.ts declares ${header}`);
  const open = DTS.indexOf('{', start);
  let depth = 0;
  for (let i = open; i < DTS.length; i++) {
    if (DTS[i] === '{') depth++;
    else if (DTS[i] === '}' && --depth === 0) return DTS.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces after ${header}`);
}

/** Members declared at the top level of a class or interface body: [{name, isStatic, optional}]. */
function members(text) {
  const out = [];
  let depth = 0;
  for (const line of text.split('\n')) {
    if (depth === 0) {
      const m = /^\s*(static\s+)?(readonly\s+)?([A-Za-z_$][\w$]*)\s*(\?)?\s*[:(<]/.exec(line);
      if (m) out.push({ name: m[3], isStatic: !!m[1], optional: !!m[4] });
    }
    for (const ch of line) {
      if ('{(['.includes(ch)) depth++;
      else if ('})]'.includes(ch)) depth--;
    }
  }
  return out;
}

/** String literals of a union type alias, e.g. `export type PrismErrorCode = | 'a' | 'b'`. */
function unionLiterals(typeName) {
  const m = new RegExp(`export type ${typeName}\\s*=([^;]*);`).exec(DTS);
  assert.ok(m, `prism-sdk.d.ts declares type ${typeName}`);
  return new Set([...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]));
}

describe('prism-sdk.d.ts', () => {
  it('declares exactly the values the module exports', () => {
    const declared = [...DTS.matchAll(/^export\s+(?:declare\s+)?(?:class|const|function|let|var)\s+([A-Za-z_$][\w$]*)/gm)]
      .map((m) => m[1]).sort();
    assert.deepEqual(declared, Object.keys(sdk).sort());
    for (const name of declared) {
      const kind = /^export\s+(?:declare\s+)?(\w+)/m.exec(DTS.slice(DTS.search(new RegExp(`export\\s+(?:declare\\s+)?\\w+\\s+${name}\\b`))))[1];
      if (kind === 'class' || kind === 'function') assert.equal(typeof sdk[name], 'function', `${name} is a ${kind}`);
    }
  });

  it('declares only members PrismClient has, and every public method it has', () => {
    const client = new sdk.PrismClient({ token: 't', url: 'ws://127.0.0.1:1/ws' });
    const declared = members(body('export class PrismClient'));
    for (const { name, isStatic } of declared) {
      if (name === 'constructor') continue;
      if (isStatic) assert.equal(typeof sdk.PrismClient[name], 'function', `static PrismClient.${name}`);
      else assert.ok(name in client, `PrismClient#${name}`);
    }
    const publicMethods = Object.getOwnPropertyNames(sdk.PrismClient.prototype)
      .filter((n) => n !== 'constructor' && !n.startsWith('_'));
    const publicFields = Object.keys(client).filter((n) => !n.startsWith('_'));
    const publicStatics = Object.getOwnPropertyNames(sdk.PrismClient)
      .filter((n) => typeof sdk.PrismClient[n] === 'function' && !n.startsWith('_'));
    const names = new Set(declared.map((m) => m.name));
    for (const n of [...publicMethods, ...publicFields, ...publicStatics]) {
      assert.ok(names.has(n), `PrismClient.${n} is public but not in prism-sdk.d.ts`);
    }
  });

  it('declares the required PrismError fields', () => {
    const e = new sdk.PrismError('timeout', 'slow');
    for (const { name, optional } of members(body('export class PrismError'))) {
      if (name === 'constructor' || optional) continue;
      assert.ok(name in e, `PrismError#${name}`);
    }
    assert.equal(e.name, 'PrismError');
    assert.ok(e instanceof Error);
  });

  it('types every event of EVENTS, and no other', () => {
    const declared = members(body('export interface PrismClientEvents')).map((m) => m.name).sort();
    assert.deepEqual(declared, [...sdk.EVENTS].sort());
  });

  it('types every constructor option the client reads, and no other', () => {
    const declared = members(body('export interface PrismClientOptions')).map((m) => m.name).sort();
    const ctor = /constructor\(options = \{\}\) \{([\s\S]*?)\n {2}\}/.exec(SOURCES);
    assert.ok(ctor, 'PrismClient constructor found in prism-sdk.js');
    const read = [...new Set([...ctor[1].matchAll(/options\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]))].sort();
    assert.deepEqual(declared, read);
  });

  it('lists every error code the SDK raises itself (track_refused included)', () => {
    const codes = unionLiterals('PrismErrorCode');
    const raised = new Set([...SOURCES.matchAll(/new PrismError\('([a-z_]+)'/g)].map((m) => m[1]));
    for (const m of SOURCES.matchAll(/asPrismError\([^,]+, '([a-z_]+)'\)/g)) raised.add(m[1]);
    assert.ok(raised.has('track_refused'));
    for (const code of raised) assert.ok(codes.has(code), `PrismErrorCode lacks '${code}'`);
  });

  it('types SOURCE_FOR_KIND with the module\'s values', () => {
    const m = /export const SOURCE_FOR_KIND:[^{]*\{([^}]*)\}/.exec(DTS);
    assert.ok(m);
    const declared = Object.fromEntries([...m[1].matchAll(/(\w+):\s*'([^']+)'/g)].map((x) => [x[1], x[2]]));
    assert.deepEqual(declared, { ...sdk.SOURCE_FOR_KIND });
  });
});
