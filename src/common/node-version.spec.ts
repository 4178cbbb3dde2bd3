import { readFileSync } from 'node:fs';
import { REQUIRED_NODE, nodeTooOld } from './node-version.js';

describe('the Node version check', () => {
  it('asks for the version package.json "engines" names', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.engines.node).toBe(`>=${REQUIRED_NODE.major}.${REQUIRED_NODE.minor}`);
  });

  it.each([
    ['20.20.2', false],
    ['24.8.9', false],
    ['24.9.0', true],
    ['24.21.0', true],
    ['25.0.0', true],
  ])('Node %s is accepted: %s', (version, accepted) => {
    expect(nodeTooOld(version) === null).toBe(accepted);
  });
});
