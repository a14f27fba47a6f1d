// The one handle to the extension. acquireVsCodeApi may be called only once per page.
import type { PanelToExtension } from '../src/core/protocol';

interface VsCodeApi {
  postMessage(message: PanelToExtension): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: PanelToExtension): void {
  api.postMessage(message);
}
