// The editor's everyday jobs, one action away: from the command palette, the editor's "LLM-jp"
// context submenu, keybindings and the lightbulb. Explanations become chat turns in the panel
// (so follow-up questions work); doc comments and translations become diffs to accept.
import * as vscode from 'vscode';
import { editorTaskPrompt, translationTarget, type EditorTaskKind } from '../../core/prompts/editorTasks';
import type { ResolvedLanguage } from '../../core/prompts/chat';
import type { ApplyCodeFlow } from '../edits/applyCode';
import type { ChatSession } from '../chat/chatSession';
import { answerLanguage } from '../request/taskSettings';
import type { RequestService } from '../request/requestService';
import { commentSpans } from '../../core/edits/commentOnly';
import { runEditTask, type EditOutcome } from './editFlow';
import { attachmentsWithIds } from './taskAttachments';
import { codeBudget, editorTarget } from './taskCode';

export const EditorCommands = {
  explain: 'llmJp.explain',
  explainInJapanese: 'llmJp.explainInJapanese',
  explainInEnglish: 'llmJp.explainInEnglish',
  explainStepByStep: 'llmJp.explainStepByStep',
  writeDocComment: 'llmJp.writeDocComment',
  translateComments: 'llmJp.translateComments',
  translateDocument: 'llmJp.translateDocument',
  explainProblem: 'llmJp.explainProblem',
  fixProblem: 'llmJp.fixProblem',
  requestEdit: 'llmJp.requestEdit',
} as const;

export interface EditorServices {
  readonly requests: RequestService;
  readonly applyCode: ApplyCodeFlow;
  /** The chat the explanations go to (the side-bar view), shown first. */
  chat(): Promise<ChatSession>;
}

/** Where a command acts: the active editor, or the one a code action names. */
function editorFor(uri?: vscode.Uri): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (uri instanceof vscode.Uri && active?.document.uri.toString() !== uri.toString()) {
    return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  }
  if (active) return active;
  void vscode.window.showInformationMessage(vscode.l10n.t('Open a file in the editor first.'));
  return undefined;
}

/** An explanation as a chat turn: the question is the command's label and request in one. */
async function explain(
  services: EditorServices,
  kind: EditorTaskKind,
  language: ResolvedLanguage,
  editor: vscode.TextEditor,
  at?: vscode.Range,
  problem?: vscode.Diagnostic,
  instruction?: string,
): Promise<void> {
  const budget = codeBudget(services.requests.engine.model?.contextSize);
  const target = await editorTarget(editor, { mode: 'explain', budget, ...(at ? { at } : {}) });
  // The problem asked about comes first; the others in range follow.
  const first = problem && target.problems.find((p) => p.line === problem.range.start.line && p.message === problem.message);
  const problems = first ? [first, ...target.problems.filter((p) => p !== first)] : target.problems;
  const prompt = editorTaskPrompt({ kind, language, code: target.code, problems, ...(instruction !== undefined ? { instruction } : {}) });
  const session = await services.chat();
  await session.askAbout(prompt.question, attachmentsWithIds(prompt.attachments), prompt.reasoningEffort);
}

async function edit(services: EditorServices, kind: EditorTaskKind, editor: vscode.TextEditor, at?: vscode.Range): Promise<EditOutcome | undefined> {
  const budget = codeBudget(services.requests.engine.model?.contextSize);
  const wholeFile = kind === 'translateDocument' || kind === 'translateComments';
  const target = await editorTarget(editor, { mode: 'edit', budget, wholeFile, ...(at ? { at } : {}) });
  // A doc comment is written in the answer language; a translation goes the other way from the text's.
  const language = kind === 'docComment' ? answerLanguage() : translationTarget(kind === 'translateComments' ? commentText(target.code.languageId, target.code.excerpt.text) : target.code.excerpt.text);
  const prompt = editorTaskPrompt({ kind, language, code: target.code });
  return runEditTask(services.requests, services.applyCode, editor, kind, target, prompt);
}

/** The text of the comments, which decides a translation's direction; all of it where they cannot be found. */
function commentText(languageId: string, code: string): string {
  const found = commentSpans(languageId, code);
  return found.ok ? found.spans.map((span) => code.slice(span.start, span.end)).join('\n') : code;
}

export function registerEditorCommands(services: EditorServices): vscode.Disposable[] {
  const explainWith = (kind: EditorTaskKind, language: () => ResolvedLanguage) => (uri?: vscode.Uri, range?: vscode.Range) => {
    const editor = editorFor(uri);
    return editor && explain(services, kind, language(), editor, range instanceof vscode.Range ? range : undefined);
  };
  const editWith = (kind: EditorTaskKind) => (uri?: vscode.Uri, range?: vscode.Range) => {
    const editor = editorFor(uri);
    return editor && edit(services, kind, editor, range instanceof vscode.Range ? range : undefined);
  };
  return [
    vscode.commands.registerCommand(EditorCommands.explain, explainWith('explain', answerLanguage)),
    vscode.commands.registerCommand(EditorCommands.explainInJapanese, explainWith('explain', () => 'ja')),
    vscode.commands.registerCommand(EditorCommands.explainInEnglish, explainWith('explain', () => 'en')),
    vscode.commands.registerCommand(EditorCommands.explainStepByStep, explainWith('explainStepByStep', answerLanguage)),
    vscode.commands.registerCommand(EditorCommands.writeDocComment, editWith('docComment')),
    vscode.commands.registerCommand(EditorCommands.translateComments, editWith('translateComments')),
    vscode.commands.registerCommand(EditorCommands.translateDocument, editWith('translateDocument')),
    vscode.commands.registerCommand(EditorCommands.explainProblem, problemTask(services, 'explainProblem')),
    vscode.commands.registerCommand(EditorCommands.fixProblem, problemTask(services, 'fixProblem')),
    vscode.commands.registerCommand(EditorCommands.requestEdit, async (uri?: vscode.Uri, range?: vscode.Range, instruction?: string) => {
      const editor = editorFor(uri);
      if (!editor) return undefined;
      const asked =
        typeof instruction === 'string' && instruction.trim() !== ''
          ? instruction
          : await vscode.window.showInputBox({ prompt: vscode.l10n.t('What should LLM-jp change here?'), placeHolder: vscode.l10n.t('For example: add error handling to this function') });
      if (!asked || asked.trim() === '') return undefined;
      return explain(services, 'requestEdit', answerLanguage(), editor, range instanceof vscode.Range ? range : undefined, undefined, asked);
    }),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new EditorCodeActions(), {
      providedCodeActionKinds: [EditorCodeActions.explainKind, EditorCodeActions.rewriteKind, EditorCodeActions.problemKind, EditorCodeActions.fixKind],
    }),
    vscode.languages.registerCodeActionsProvider({ scheme: 'untitled' }, new EditorCodeActions(), {
      providedCodeActionKinds: [EditorCodeActions.explainKind, EditorCodeActions.rewriteKind, EditorCodeActions.problemKind, EditorCodeActions.fixKind],
    }),
  ];
}

/** Explain This Problem, Fix with LLM-jp: the diagnostic passed (the lightbulb) or the one at the cursor, as a chat turn. */
function problemTask(services: EditorServices, kind: 'explainProblem' | 'fixProblem') {
  return (uri?: vscode.Uri, diagnostic?: vscode.Diagnostic) => {
    const editor = editorFor(uri);
    if (!editor) return undefined;
    const problem = diagnostic ?? vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.range.contains(editor.selection.active));
    if (!problem) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no problem at the cursor to explain.'));
      return undefined;
    }
    // The code around the problem: its lines, and what surrounds them.
    const lines = new vscode.Range(problem.range.start.line, 0, problem.range.end.line, editor.document.lineAt(problem.range.end.line).range.end.character);
    return explain(services, kind, answerLanguage(), editor, lines, problem);
  };
}

/** The lightbulb: the selection's jobs, and "Explain this problem" / "Fix with LLM-jp" on each diagnostic. */
class EditorCodeActions implements vscode.CodeActionProvider {
  static readonly explainKind = vscode.CodeActionKind.Empty.append('llmJp').append('explain');
  static readonly rewriteKind = vscode.CodeActionKind.RefactorRewrite.append('llmJp');
  static readonly problemKind = vscode.CodeActionKind.QuickFix.append('llmJp').append('explainProblem');
  static readonly fixKind = vscode.CodeActionKind.QuickFix.append('llmJp').append('fixProblem');

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics.slice(0, 3)) {
      const action = new vscode.CodeAction(vscode.l10n.t('LLM-jp: Explain This Problem'), EditorCodeActions.problemKind);
      action.command = { command: EditorCommands.explainProblem, title: action.title, arguments: [document.uri, diagnostic] };
      action.diagnostics = [diagnostic];
      const fix = new vscode.CodeAction(vscode.l10n.t('LLM-jp: Fix This Problem'), EditorCodeActions.fixKind);
      fix.command = { command: EditorCommands.fixProblem, title: fix.title, arguments: [document.uri, diagnostic] };
      fix.diagnostics = [diagnostic];
      actions.push(fix, action);
    }
    if (!range.isEmpty) {
      const offer = (title: string, kind: vscode.CodeActionKind, command: string): void => {
        const action = new vscode.CodeAction(title, kind);
        action.command = { command, title, arguments: [document.uri, new vscode.Range(range.start, range.end)] };
        actions.push(action);
      };
      offer(vscode.l10n.t('LLM-jp: Explain'), EditorCodeActions.explainKind, EditorCommands.explain);
      offer(vscode.l10n.t('LLM-jp: Write Doc Comment'), EditorCodeActions.rewriteKind, EditorCommands.writeDocComment);
      offer(vscode.l10n.t('LLM-jp: Translate Comments'), EditorCodeActions.rewriteKind, EditorCommands.translateComments);
    }
    return actions;
  }
}
