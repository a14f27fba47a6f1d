// Typed download failures with a message for the user in English and Japanese.
import type { LocalizedText } from '../core/generation/types';

export type DownloadErrorCode =
  | 'network'
  | 'stalled'
  | 'http-status'
  | 'too-many-redirects'
  | 'checksum-mismatch'
  | 'size-mismatch'
  | 'disk-full'
  | 'cancelled'
  | 'target-invalid';

export class DownloadError extends Error {
  constructor(
    readonly code: DownloadErrorCode,
    readonly localized: LocalizedText,
    readonly detail?: string,
    readonly status?: number,
  ) {
    super(detail ? `${localized.en} (${detail})` : localized.en);
    this.name = 'DownloadError';
  }

  /** Worth another attempt: the same request may succeed (dropped connection, stall, 5xx, 429). */
  get transient(): boolean {
    return this.code === 'network' || this.code === 'stalled' ||
      (this.code === 'http-status' && this.status !== undefined && (this.status >= 500 || this.status === 429 || this.status === 408));
  }
}

export const downloadErrors = {
  network: (detail: string) => new DownloadError('network', {
    en: 'The download was interrupted by a network error. It resumes where it stopped when you try again.',
    ja: 'ネットワークエラーでダウンロードが中断されました。再試行すると中断した位置から再開します。',
  }, detail),
  stalled: (seconds: number) => new DownloadError('stalled', {
    en: `The server sent no data for ${seconds} seconds.`,
    ja: `サーバーから ${seconds} 秒間データが届きませんでした。`,
  }),
  httpStatus: (status: number, url: string) => new DownloadError('http-status', {
    en: `The server answered HTTP ${status}${status === 404 ? ': the file is not there' : status === 401 || status === 403 ? ': access denied' : ''}.`,
    ja: `サーバーが HTTP ${status} を返しました${status === 404 ? '（ファイルがありません）' : status === 401 || status === 403 ? '（アクセスが拒否されました）' : ''}。`,
  }, url, status),
  tooManyRedirects: (limit: number) => new DownloadError('too-many-redirects', {
    en: `The server redirected more than ${limit} times.`,
    ja: `サーバーのリダイレクトが ${limit} 回を超えました。`,
  }),
  checksum: (expected: string, actual: string) => new DownloadError('checksum-mismatch', {
    en: 'The downloaded file does not match its published checksum (SHA-256); it was deleted.',
    ja: 'ダウンロードしたファイルが公開されているチェックサム（SHA-256）と一致しないため削除しました。',
  }, `expected ${expected}, got ${actual}`),
  size: (expected: number, actual: number) => new DownloadError('size-mismatch', {
    en: `The file's size (${actual.toLocaleString('en-US')} bytes) is not the expected ${expected.toLocaleString('en-US')} bytes.`,
    ja: `ファイルサイズ（${actual.toLocaleString('en-US')} バイト）が想定の ${expected.toLocaleString('en-US')} バイトと異なります。`,
  }, `expected ${expected}, got ${actual}`),
  diskFull: (needed: number, free: number, dir: string) => new DownloadError('disk-full', {
    en: `Not enough disk space: ${(needed / 1e9).toFixed(1)} GB needed, ${(free / 1e9).toFixed(1)} GB free.`,
    ja: `ディスクの空き容量が足りません（必要 ${(needed / 1e9).toFixed(1)} GB、空き ${(free / 1e9).toFixed(1)} GB）。`,
  }, dir),
  cancelled: () => new DownloadError('cancelled', {
    en: 'The download was cancelled. It resumes where it stopped when you start it again.',
    ja: 'ダウンロードをキャンセルしました。もう一度開始すると中断した位置から再開します。',
  }),
  targetInvalid: (detail: string) => new DownloadError('target-invalid', {
    en: 'A file already at the destination does not match the expected model file.',
    ja: '保存先にある既存のファイルが想定のモデルファイルと一致しません。',
  }, detail),
};
