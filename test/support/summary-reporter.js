// Mocha reporter: the spec reporter's output, then one closing line that CI reads,
// "<layer>: N passed, N failed, N skipped". The layer name comes from MOCHA_LAYER.
'use strict';
const Mocha = require('mocha');

const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const layer = (options && options.reporterOptions && options.reporterOptions.layer) || process.env.MOCHA_LAYER || 'tests';
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      // A skipped test is not a passed test: say so in the line CI reads.
      console.log(`${layer}: ${passes} passed, ${failures} failed, ${pending} skipped`);
    });
  }
}

module.exports = SummaryReporter;
