/**
 * The path rule's last survivors (test/mutation/secrets.md): two segments are a path, and a
 * hyphen is no digit (`Go-2` switches into the hyphen and into the digit: two in four).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {looksRandom, shannonEntropy} from '../../functions/core/secrets/entropy.js';

describe('the path rule', () => {
  it('two segments of words are a path', () => {
    const token = 'QuickBuild7/JenkinsHomeWorkspaceDeployZygoteVmMax';
    assert.ok(shannonEntropy(token) > 4.5);
    assert.equal(looksRandom(token), false);
  });

  it('a hyphen then a digit are two switches', () => {
    const token = '/opt/JenkinsHome/Workspace/QuickBuild7/Fix/Deploy/Zygote/Vm/Max/Go-2';
    assert.ok(shannonEntropy(token) > 4.5);
    assert.equal(looksRandom(token), true);
  });
});
