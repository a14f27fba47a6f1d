// An assistant turn: the reasoning trace, the tool cards, the answer, then errors and usage.
// A live turn draws what arrived at most once per animation frame; a stored one is drawn at once.
import type { ToolCard, TurnPart } from '../src/core/protocol';
import { codicon, element } from './dom';
import { renderAnswer, StreamingMarkdown } from './streamingMarkdown';
import { strings } from './strings';
import { upsertToolCard } from './toolCards';

/** An assistant turn's data, kept so its DOM can be dropped and rebuilt (bounded transcript). */
export interface AssistantData {
  reasoning: string;
  answer: string;
  stopReason: string;
  error?: string;
  reasoningSummary?: string;
  stats?: string;
  tools: ToolCard[];
}

export interface TurnEnd {
  readonly reason: string;
  readonly error?: string;
  readonly reasoningSummary?: string;
  readonly stats?: string;
}

interface TurnView {
  readonly element: HTMLElement;
  readonly reasoning: HTMLDetailsElement;
  readonly summary: HTMLElement;
  readonly reasoningText: HTMLElement;
  readonly tools: HTMLElement;
  readonly answer: HTMLElement;
}

function createTurnView(): TurnView {
  const node = element('div', 'message assistant');
  const reasoning = element('details', 'reasoning');
  reasoning.hidden = true;
  reasoning.open = true;
  const summary = element('summary');
  const reasoningText = element('div', 'reasoning-text');
  reasoning.append(summary, reasoningText);
  const tools = element('div', 'tool-cards');
  tools.hidden = true;
  const answer = element('div', 'answer');
  node.append(reasoning, tools, answer);
  return { element: node, reasoning, summary, reasoningText, tools, answer };
}

function setSummary(view: TurnView, text: string, thinking = false): void {
  view.summary.replaceChildren(...(thinking ? [codicon('loading', 'codicon-modifier-spin')] : []), text);
}

function finish(view: TurnView, end: TurnEnd, collapseReasoning: boolean): void {
  if (collapseReasoning) view.reasoning.open = false;
  setSummary(view, end.reasoningSummary ?? strings().reasoning);
  view.element.setAttribute('data-stop-reason', end.reason);
  for (const [className, text] of [
    ['error', end.error],
    ['stats', end.stats],
  ] as const) {
    if (text !== undefined) view.element.append(element('div', className, text));
  }
}

/** A finished turn, drawn at once (restore, or a turn scrolled back into the DOM). */
export function renderStoredTurn(data: AssistantData, collapseReasoning: boolean): HTMLElement {
  const view = createTurnView();
  if (data.reasoning !== '') {
    view.reasoning.hidden = false;
    view.reasoningText.textContent = data.reasoning;
  }
  for (const card of data.tools) upsertToolCard(view.tools, card);
  renderAnswer(view.answer, data.answer);
  finish(view, { reason: data.stopReason, error: data.error, reasoningSummary: data.reasoningSummary, stats: data.stats }, collapseReasoning);
  return view.element;
}

export class LiveTurn {
  readonly data: AssistantData = { reasoning: '', answer: '', stopReason: '', tools: [] };
  readonly element: HTMLElement;
  private readonly view = createTurnView();
  private readonly markdown: StreamingMarkdown;
  private pendingReasoning = '';
  private answerDirty = false;
  private answerStarted = false;
  private ended = false;
  private frame: number | undefined;

  constructor(
    private readonly collapseReasoning: () => boolean,
    /** Called after each drawn frame (the transcript keeps the end in view). */
    private readonly onDraw: () => void,
  ) {
    this.element = this.view.element;
    this.markdown = new StreamingMarkdown(this.view.answer);
    setSummary(this.view, strings().thinking, true);
  }

  delta(part: TurnPart, text: string): void {
    if (part === 'reasoning') {
      this.data.reasoning += text;
      this.pendingReasoning += text;
    } else {
      this.data.answer += text;
      this.markdown.append(text);
      this.answerDirty = true;
    }
    this.frame ??= requestAnimationFrame(() => this.draw());
  }

  tool(card: ToolCard): void {
    const index = this.data.tools.findIndex((existing) => existing.callId === card.callId);
    if (index === -1) this.data.tools.push(card);
    else this.data.tools[index] = card;
    upsertToolCard(this.view.tools, card);
    this.onDraw();
  }

  end(end: TurnEnd): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.ended = true;
    // Draws the rest, over more frames when more arrived than one frame takes, and always once
    // as final: a long table or code block leaves its unfinished last line out until then.
    if (this.data.answer !== '') this.answerDirty = true;
    this.draw();
    Object.assign(this.data, { stopReason: end.reason, error: end.error, reasoningSummary: end.reasoningSummary, stats: end.stats });
    finish(this.view, end, this.collapseReasoning());
    this.onDraw();
  }

  /** Stops drawing (the transcript was replaced). */
  cancel(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  private draw(): void {
    this.frame = undefined;
    // A turn still catching up after its end whose transcript was replaced draws nothing more.
    if (this.ended && !this.element.isConnected) return;
    if (this.pendingReasoning !== '') {
      this.view.reasoning.hidden = false;
      this.view.reasoningText.append(this.pendingReasoning);
      this.pendingReasoning = '';
    }
    if (this.answerDirty) {
      this.answerDirty = false;
      if (!this.answerStarted) {
        this.answerStarted = true;
        // The answer has begun: the trace folds away (setting), still one click from view.
        setSummary(this.view, strings().reasoning);
        if (this.collapseReasoning()) this.view.reasoning.open = false;
      }
      // Only this turn's answer tail is rendered again, never the whole transcript.
      if (!this.markdown.render(this.ended)) {
        this.answerDirty = true;
        this.frame = requestAnimationFrame(() => this.draw());
      }
    }
    this.onDraw();
  }
}
