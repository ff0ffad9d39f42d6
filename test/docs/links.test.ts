// Every relative link and anchor in README.md and docs/*.md resolves, every repo file they name exists, and each
// doc links back to the README and to the reference: what a newcomer clicking through a fresh clone would find.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, test } from 'node:test';
import { anchors, docFiles, links, readDoc, REPO, slug } from './markdown.js';

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i; // https:, mailto:, …

function anchorsOf(file: string): Set<string> {
  return anchors(readFileSync(join(REPO, file), 'utf8'));
}

describe('docs links', () => {
  test("the slugs are GitHub's", () => {
    assert.equal(slug("Heartbeat (dead man's switch)"), 'heartbeat-dead-mans-switch');
    assert.equal(slug("`logs`: the application's log files"), 'logs-the-applications-log-files');
    assert.equal(slug('Prometheus, heartbeat, Nagios, stats and logs'), 'prometheus-heartbeat-nagios-stats-and-logs');
  });

  test('every relative link points at a file that exists, and every #anchor at a heading there', () => {
    const broken: string[] = [];
    for (const file of docFiles()) {
      for (const { line, target } of links(readDoc(file))) {
        if (EXTERNAL.test(target)) continue;
        const [path, anchor] = target.split('#', 2) as [string, string | undefined];
        const resolved = path ? normalize(join(dirname(file), decodeURIComponent(path))) : file;
        if (resolved.startsWith('..')) {
          broken.push(`${file}:${line}: ${target} leaves the repository`);
          continue;
        }
        if (!existsSync(join(REPO, resolved))) {
          broken.push(`${file}:${line}: ${target}: no file ${resolved}`);
          continue;
        }
        if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) {
          broken.push(`${file}:${line}: ${target}: ${resolved} has no heading #${anchor}`);
        }
      }
    }
    assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
  });

  test('every repository file a doc names (src/…, bench/…, deploy/…) exists', () => {
    const missing: string[] = [];
    const named = /(?<![\w./~-])((?:src|test|bench|scripts|deploy|systemd|logrotate|bin|docs|\.ci)\/[\w./-]*[\w/])/g;
    for (const file of docFiles()) {
      readDoc(file)
        .split('\n')
        .forEach((text, index) => {
          for (const match of text.matchAll(named)) {
            if (!existsSync(join(REPO, match[1]!))) missing.push(`${file}:${index + 1}: ${match[1]}`);
          }
        });
    }
    assert.deepEqual(missing, [], `files named but missing:\n${missing.join('\n')}`);
  });

  test('every docs/….md#anchor a code comment cites exists', () => {
    const cited = /\bdocs\/([\w/-]+\.md)(?:#([\w-]+))?/g;
    const broken: string[] = [];
    const walk = (dir: string): string[] =>
      readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
        return /\.(ts|mjs|js|sh)$/.test(entry.name) ? [path] : [];
      });
    for (const file of ['src', 'test', 'bench', 'scripts', 'deploy'].flatMap(walk)) {
      for (const match of readFileSync(join(REPO, file), 'utf8').matchAll(cited)) {
        const doc = `docs/${match[1]}`;
        if (!existsSync(join(REPO, doc))) broken.push(`${file}: ${match[0]}: no such doc`);
        else if (match[2] && !anchorsOf(doc).has(match[2])) broken.push(`${file}: ${match[0]}: no such heading`);
      }
    }
    assert.deepEqual(broken, [], `code cites docs that are not there:\n${broken.join('\n')}`);
  });

  test('no doc leans on a file outside the repository (the contract is docs/reference.md)', () => {
    const outside = docFiles().filter((file) => /SPEC(\.md|\s*§)/.test(readDoc(file)));
    assert.deepEqual(outside, []);
  });

  test('the README lists every doc, and every doc links back to the README and to the reference', () => {
    const readmeTargets = new Set(links(readDoc('README.md')).map((l) => normalize(l.target.split('#')[0]!)));
    for (const file of docFiles().filter((f) => f !== 'README.md')) {
      assert.ok(readmeTargets.has(file), `README.md does not link to ${file}`);
      const targets = links(readDoc(file)).map((l) => normalize(join(dirname(file), l.target.split('#')[0]!)));
      assert.ok(targets.includes('README.md'), `${file} does not link back to the README`);
      if (file !== 'docs/reference.md')
        assert.ok(targets.includes('docs/reference.md'), `${file} does not link to docs/reference.md`);
    }
  });

  test('next to npm test, the README names every package .ci/run installs for the tests', () => {
    const ci = readFileSync(join(REPO, '.ci', 'run'), 'utf8');
    const list = /apt_packages=\(([\s\S]*?)\n\)/.exec(ci)?.[1] ?? '';
    const packages = list
      .split('\n')
      .flatMap((line) => line.replace(/#.*/, '').trim().split(/\s+/))
      .filter(Boolean);
    assert.ok(packages.length > 5, 'the package list of .ci/run was not found');
    const readme = readDoc('README.md');
    assert.deepEqual(
      packages.filter((name) => !readme.includes(`\`${name}\``)),
      [],
      'README.md does not name these test prerequisites',
    );
  });

  test('the README fits one sitting and the LICENSE it promises is there', () => {
    assert.ok(Buffer.byteLength(readDoc('README.md')) <= 25 * 1024, 'README.md is over 25 KB: move a section to docs/');
    assert.match(readFileSync(join(REPO, 'LICENSE'), 'utf8'), /^MIT License/);
    assert.equal(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).license, 'MIT');
  });
});
