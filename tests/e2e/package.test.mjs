// (J) The npm package says its license and where it comes from, and ships
// the LICENSE text (checked on what `npm pack` would publish).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './helpers.mjs';

test('(J) package.json has license, repository, keywords and author; the tarball has LICENSE', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.license, 'BSD-3-Clause');
  assert.equal(pkg.repository?.type, 'git');
  assert.match(pkg.repository?.url ?? '', /^git\+https:\/\/.+\.git$/);
  assert.ok(Array.isArray(pkg.keywords) && pkg.keywords.includes('ncnn') && pkg.keywords.includes('int8'));
  assert.equal(pkg.author, 'the ncnn-int8 authors');

  const license = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8');
  assert.match(license, /^BSD 3-Clause License\n\nCopyright \(c\) \d{4}, the ncnn-int8 authors\n/);
  assert.match(license, /Neither the name of the copyright holder nor the names of its\s+contributors/);

  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
  const files = packed[0].files.map((f) => f.path);
  assert.ok(files.includes('LICENSE'), `LICENSE is not in the package: ${files.join(' ')}`);
});
