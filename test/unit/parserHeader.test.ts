import * as assert from 'node:assert/strict';
import { interpretHeader, type HeaderRuns } from '../../src/core/harmony/parserHeader';

const first = (role: string, channel?: string, constrain?: string): HeaderRuns => ({ role, channel, constrain, implicitRole: true });
const later = (role: string, channel?: string, constrain?: string): HeaderRuns => ({ role, channel, constrain, implicitRole: false });

describe('interpretHeader', () => {
  it('reads the channels', () => {
    assert.deepEqual(interpretHeader(first('', 'analysis')), { kind: 'reasoning' });
    assert.deepEqual(interpretHeader(later(' assistant', ' final')), { kind: 'answer', channel: 'final' });
    assert.deepEqual(interpretHeader(later('assistant', 'commentary')), { kind: 'answer', channel: 'commentary' });
    assert.deepEqual(interpretHeader(first('')), { kind: 'answer', channel: undefined });
  });

  it('finds the recipient in the role part or the channel part, with any spacing', () => {
    const tool = { kind: 'tool', name: 'get_weather' };
    for (const runs of [
      first(' to=functions.get_weather', 'commentary json'),
      first('to=functions.get_weather', 'commentary ', ' json'),
      first(' to=functions.get_weather ', ' commentary ', 'json'),
      later('assistant to=functions.get_weather', 'commentary', 'json'),
      later(' assistant  to=functions.get_weather', '\tcommentary\n', ' json '),
      first('', 'commentary to=functions.get_weather', 'json'),
      first('', 'commentary to=functions.get_weather json'),
      first('', ' commentary  to=functions.get_weather '),
      later('assistant', 'commentary to=functions.get_weather ', ' json'),
      later('assistant to=functions.get_weather', 'commentary to=functions.get_weather json'),
    ]) {
      assert.deepEqual(interpretHeader(runs), tool, JSON.stringify(runs));
    }
  });

  it('names what is wrong with a header it cannot read', () => {
    assert.deepEqual(interpretHeader(first('', 'reasoning')), { kind: 'malformed', detail: "unknown channel 'reasoning'" });
    assert.deepEqual(interpretHeader(first(' to=browser.search', 'commentary json')), {
      kind: 'malformed',
      detail: "recipient 'browser.search' is not a function (functions.NAME)",
    });
    assert.deepEqual(interpretHeader(later('assistant to=functions.a', 'commentary to=functions.b')), {
      kind: 'malformed',
      detail: 'a header names two recipients: functions.a, functions.b',
    });
    assert.deepEqual(interpretHeader(later('user', 'final')), {
      kind: 'malformed',
      detail: "the model wrote a message as 'user', not as the assistant",
    });
    assert.deepEqual(interpretHeader(later('', 'final')), {
      kind: 'malformed',
      detail: 'no role after <|start|>',
    });
    assert.deepEqual(interpretHeader(later('assistant extra', 'final')).kind, 'malformed');
  });
});
