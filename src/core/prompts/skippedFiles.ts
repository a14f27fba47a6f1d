// The files a prompt leaves out, named for the model (so it does not ask for them, and can say
// they were not read): the reason after each, at most MAX_SKIPPED named, the rest counted.
import type { SkipReason } from '../commit/skipRules';
import type { ResolvedLanguage } from './chat';

export type LeftOutReason = SkipReason | 'deleted';

const REASON: Record<ResolvedLanguage, Record<LeftOutReason, string>> = {
  ja: { lockfile: 'ロックファイル', generated: '生成されたファイル', minified: '圧縮されたコード', binary: 'バイナリ', deleted: '削除されたファイル' },
  en: { lockfile: 'lockfile', generated: 'generated', minified: 'minified', binary: 'binary', deleted: 'deleted' },
};

/** Skipped files named, at most this many; the rest counted. */
const MAX_SKIPPED = 30;

/** "a.lock（ロックファイル）、…ほか 3 件" / "a.lock (lockfile), … 3 more". */
export function skippedNames(skipped: readonly { readonly path: string; readonly reason: LeftOutReason }[], language: ResolvedLanguage): string {
  const names = skipped.slice(0, MAX_SKIPPED).map((s) => (language === 'ja' ? `${s.path}（${REASON.ja[s.reason]}）` : `${s.path} (${REASON.en[s.reason]})`));
  const more = skipped.length - MAX_SKIPPED;
  if (more > 0) names.push(language === 'ja' ? `ほか ${more} 件` : `${more} more`);
  return names.join(language === 'ja' ? '、' : ', ');
}
