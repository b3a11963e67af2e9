/**
 * Survivors of the messages group's second mutation run (test/mutation/README.md): a time that
 * exactly fills what is left of a cut text is kept whole, and an escape sequence cut short after
 * its intermediate byte is stripped with it. Expectations written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {Segment} from '../../functions/core/messages/model.js';
import {cutText} from '../../functions/core/messages/pieces.js';
import {stripControls} from '../../functions/core/messages/render-console.js';

describe('cutText: a time that exactly fills the room left', () => {
  it('is kept whole', () => {
    const time: Segment = {type: 'time', epochMs: 0, plain: 'PLAIN', slackFormat: 'F'};
    const ab: Segment = {type: 'text', text: 'ab'};
    assert.deepEqual(cutText([ab, time], 7), [ab, time]);
  });
});

describe('stripControls: an escape cut short after its intermediate byte', () => {
  it('goes with it', () => {
    assert.equal(stripControls('a\u001b('), 'a');
    assert.equal(stripControls('a\u001b(é'), 'aé');
  });
});
