// The first module of the bundle: when it runs, loading the extension's code has begun. The
// activation benchmark reads how long loading took from here, since VS Code itself loads the
// bundle at startup and no outside timer sees it.
export const bundleStart = performance.now();
