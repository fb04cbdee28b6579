// The start | stop | status command line shared by scripts/kafka.mjs and scripts/schema-registry.mjs.

/**
 * @param {object} s
 * @param {string} s.envVar when set, `start` starts nothing (an external service is configured)
 * @param {() => Promise<{alreadyRunning: boolean, address: string}>} s.start
 * @param {() => Promise<string>} s.stop resolves with what to print
 * @param {() => object | undefined} s.status
 * @param {Record<string, () => Promise<string>>} [s.extra] further commands, each resolving with what to print
 */
export function runServiceCli(command, s) {
  const run = async () => {
    switch (command) {
      case 'start': {
        if (process.env[s.envVar]) return console.log(`${s.envVar} is set (${process.env[s.envVar]}); nothing started`);
        const r = await s.start();
        return console.log(`${r.alreadyRunning ? 'already running' : 'started'}: ${s.envVar}=${r.address}`);
      }
      case 'stop':
        return console.log(await s.stop());
      case 'status': {
        const st = s.status();
        return console.log(st ? JSON.stringify(st, null, 2) : 'not running');
      }
      default:
        if (s.extra?.[command]) return console.log(await s.extra[command]());
        throw new Error(`unknown command "${command}" (${['start', 'stop', 'status', ...Object.keys(s.extra ?? {})].join(' | ')})`);
    }
  };
  run().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
