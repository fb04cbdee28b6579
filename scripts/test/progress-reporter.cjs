// A jest reporter that prints a line when a spec file starts and when it ends, with its time. Jest's default
// reporter prints a file only when it is done, so a spec that hangs leaves no trace of its name; with these
// lines the last "start" without an "end" names it (run-tests.mjs's phase watchdog prints it again on timeout).
// CommonJS: jest loads reporters with require().
'use strict';
const path = require('node:path');

class ProgressReporter {
  constructor(globalConfig) {
    this.root = globalConfig.rootDir;
    this.started = new Map();
  }

  name(test) {
    return path.relative(this.root, test.path);
  }

  onTestStart(test) {
    this.started.set(test.path, Date.now());
    process.stderr.write(`[spec] start ${this.name(test)} at ${new Date().toISOString()}\n`);
  }

  onTestResult(test, result) {
    const ms = Date.now() - (this.started.get(test.path) ?? Date.now());
    this.started.delete(test.path);
    const failed = result.numFailingTests + (result.testExecError ? 1 : 0);
    process.stderr.write(`[spec] end ${this.name(test)} in ${(ms / 1000).toFixed(1)} s${failed ? `, ${failed} failed` : ''}\n`);
  }
}

module.exports = ProgressReporter;
