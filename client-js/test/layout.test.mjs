// The SDK's module layout, as the node serves it and npm packs it: every module of sdk/ is a plain ES module that
// imports only its siblings by relative path (the jar serves sdk/ flat under /sdk/, and browsers load the imports
// from there), stays under the size limit, and is part of the npm package. Run: npm test (in client-js/).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';

const SDK = new URL('../sdk/', import.meta.url);
const MODULES = (await readdir(SDK)).filter((f) => f.endsWith('.js')).sort();
const text = (f) => readFile(new URL(f, SDK), 'utf8');
/** Files under ~600 lines (COMMON.md); the SDK aims lower, so a module's responsibility stays readable at once. */
const MAX_LINES = 400;

/** The specifiers of a module's static `import ... from '...'` and `export ... from '...'` statements. */
function specifiers(source) {
  return [...source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)';/gms)].map((m) => m[1]);
}

describe('sdk/ layout', () => {
  it('has the public entry and the pure-state entry the tests and the demo import', () => {
    assert.ok(MODULES.includes('prism-sdk.js'));
    assert.ok(MODULES.includes('prism-state.js'));
  });

  it('imports only sibling modules that exist, by ./name.js', async () => {
    for (const file of MODULES) {
      for (const spec of specifiers(await text(file))) {
        assert.match(spec, /^\.\/[a-z-]+\.js$/, `${file} imports '${spec}': only ./sibling.js resolves under /sdk/`);
        assert.ok(MODULES.includes(spec.slice(2)), `${file} imports missing ${spec}`);
      }
    }
  });

  it('reaches every module from the public entry', async () => {
    const seen = new Set();
    const visit = async (file) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of specifiers(await text(file))) await visit(spec.slice(2));
    };
    await visit('prism-sdk.js');
    await visit('prism-state.js');
    assert.deepEqual([...seen].sort(), MODULES);
  });

  it(`keeps every module under ${MAX_LINES} lines`, async () => {
    for (const file of MODULES) {
      const lines = (await text(file)).split('\n').length;
      assert.ok(lines <= MAX_LINES, `${file} has ${lines} lines`);
    }
  });

  it('packs sdk/ and the declarations, with exports pointing at real files', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    assert.equal(pkg.name, '@prism-sfu/client');
    assert.equal(pkg.type, 'module');
    assert.ok(pkg.files.includes('sdk/') && pkg.files.includes('prism-sdk.d.ts'));
    assert.equal(pkg.exports['.'].default, './sdk/prism-sdk.js');
    assert.equal(pkg.exports['.'].types, './prism-sdk.d.ts');
    assert.equal(pkg.types, './prism-sdk.d.ts');
    assert.equal(pkg.main, './sdk/prism-sdk.js');
    assert.equal(pkg.sideEffects, false, 'importing only defines (bundlers may drop what is unused)');
    assert.equal(pkg.dependencies, undefined, 'no dependencies');
    assert.equal(pkg.scripts?.build, undefined, 'no build step');
  });
});
