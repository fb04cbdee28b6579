// A jest reporter that prints a line when a spec file starts and when it ends, with its time. Jest's default
// reporter prints a file only when it is done, so a spec that hangs leaves no trace of its name; with these
// lines the last "start" without an "end" names it (run-tests.mjs's phase watchdog prints it again on timeout).
// With NEST_RDKAFKA_PROGRESS_FILE set it also appends each file's outcome there as a JSON line, which survives a
// jest process that is killed (its --json output does not): run-tests.mjs counts and re-runs from it.
// CommonJS: jest loads reporters with require().
'use strict';
const fs = require('node:fs');
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
    // A suite that fails to load or whose beforeAll/afterAll fails has no failed test; it counts as one.
    const broken = result.testExecError || (result.failureMessage && result.numFailingTests === 0) ? 1 : 0;
    const failed = result.numFailingTests + broken;
    process.stderr.write(`[spec] end ${this.name(test)} in ${(ms / 1000).toFixed(1)} s${failed ? `, ${failed} failed` : ''}\n`);
    const file = process.env.NEST_RDKAFKA_PROGRESS_FILE;
    if (file) {
      const line = { path: test.path, passed: result.numPassingTests, failed, skipped: result.numPendingTests + result.numTodoTests };
      fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
    }
  }

  /**
   * The run is over: a last line says so, with its result. run-tests.mjs stops a jest process that does not exit
   * soon after it (process.exit() waits for libuv's pool threads, and a native client whose close never ends
   * holds one for ever).
   */
  onRunComplete(_contexts, results) {
    const file = process.env.NEST_RDKAFKA_PROGRESS_FILE;
    // results.success is set after the reporters ran; the counts are final here.
    const success = results.numFailedTests === 0 && results.numFailedTestSuites === 0 && results.numRuntimeErrorTestSuites === 0;
    if (file) fs.appendFileSync(file, `${JSON.stringify({ complete: true, success })}\n`);
  }
}

module.exports = ProgressReporter;
