// Proposed file changes as the panel and the transcript keep them: their size, their states after
// a decision or a reload, and the protocol's checks of a card that carries them.
import * as assert from 'node:assert/strict';
import { withProposalStates, type TranscriptEntry } from '../../src/core/chat/conversation';
import { lineCounts } from '../../src/core/edits/lineCounts';
import { parseExtensionMessage, parsePanelMessage, type ProposalCard } from '../../src/core/protocol';

const proposal = (id: string, state: ProposalCard['state']): ProposalCard => ({ id, path: 'src/a.ts', added: 1, removed: 0, created: false, state });

describe('proposals', () => {
  it('counts the lines of the changed middle, whatever the line endings', () => {
    assert.deepEqual(lineCounts('a\nb\nc\n', 'a\nb2\nb3\nc\n'), { added: 2, removed: 1 });
    assert.deepEqual(lineCounts('a\r\nb\r\n', 'a\nb\n'), { added: 0, removed: 0 });
    assert.deepEqual(lineCounts('', 'x\ny'), { added: 2, removed: 0 });
    assert.deepEqual(lineCounts('x\ny\n', 'x\n'), { added: 0, removed: 1 });
  });

  it('gives each proposal its live state, expires pending ones nobody knows, and keeps untouched entries', () => {
    const user: TranscriptEntry = { kind: 'user', text: 'q' };
    const assistant: TranscriptEntry = {
      kind: 'assistant',
      reasoning: '',
      answer: 'a',
      stopReason: 'return',
      tools: [{ callId: 'c1', name: 'replace_in_file', arguments: '{}', status: 'done', proposals: [proposal('p1', 'pending'), proposal('p2', 'pending'), proposal('p3', 'accepted')] }],
    };
    const live: Record<string, ProposalCard['state']> = { p1: 'accepted' };
    const out = withProposalStates([user, assistant], (id) => live[id]);
    assert.equal(out[0], user);
    const states = out[1].kind === 'assistant' ? out[1].tools?.[0].proposals?.map((p) => p.state) : [];
    assert.deepEqual(states, ['accepted', 'expired', 'accepted']);
    // Nothing to change: the same entry object.
    const again = withProposalStates(out, (id) => ({ p1: 'accepted', p2: 'expired' } as Record<string, ProposalCard['state']>)[id]);
    assert.equal(again[1], out[1]);
  });

  it('accepts a tool card with proposals and refuses malformed ones', () => {
    const card = { callId: 'c1', name: 'replace_in_file', arguments: '{}', status: 'done', proposals: [proposal('p1', 'pending')] };
    assert.deepEqual(parseExtensionMessage({ type: 'toolCard', turnId: 't1', card }), { type: 'toolCard', turnId: 't1', card });
    for (const bad of [{ ...proposal('p1', 'pending'), state: 'maybe' }, { ...proposal('p1', 'pending'), added: -1 }, { ...proposal('p1', 'pending'), path: '' }]) {
      assert.equal(parseExtensionMessage({ type: 'toolCard', turnId: 't1', card: { ...card, proposals: [bad] } }), undefined, JSON.stringify(bad));
    }
    assert.deepEqual(parseExtensionMessage({ type: 'proposalState', id: 'p1', state: 'stale' }), { type: 'proposalState', id: 'p1', state: 'stale' });
    assert.equal(parseExtensionMessage({ type: 'proposalState', id: 'p1', state: 'gone' }), undefined);
  });

  it('accepts the panel\'s decisions and nothing else', () => {
    assert.deepEqual(parsePanelMessage({ type: 'decideProposal', id: 'p1', decision: 'accept' }), { type: 'decideProposal', id: 'p1', decision: 'accept' });
    assert.deepEqual(parsePanelMessage({ type: 'decideAllProposals', decision: 'reject' }), { type: 'decideAllProposals', decision: 'reject' });
    assert.equal(parsePanelMessage({ type: 'decideProposal', id: 'p1', decision: 'apply' }), undefined);
    assert.equal(parsePanelMessage({ type: 'decideAllProposals', decision: 'open' }), undefined);
  });
});
