#!/usr/bin/env node
// nest-rdkafka's postinstall: says which librdkafka features node-rdkafka was compiled without, and how to get
// them. node-rdkafka builds librdkafka from source and silently leaves out zstd, SASL GSSAPI and TLS when their
// headers are missing on the machine, so an application would only find out when a broker asks for one of them.
// Plain Node built-ins only (it runs inside `npm install`); it never fails the install: every path exits 0, and it
// says nothing when all is there or when node-rdkafka cannot be loaded (its own build was skipped or failed,
// which npm already reports).
//   node scripts/install/postinstall.cjs [--features=gzip,ssl,...] [--stderr]
// --features replaces node-rdkafka's list (for tests); --stderr writes to stderr only, never to the terminal.
'use strict';
const fs = require('node:fs');

/** What each feature brings, and the Debian package whose headers librdkafka needs for it. */
const FEATURES = [
  { feature: 'zstd', lost: 'zstd compression (compression.type=zstd; reading zstd-compressed topics fails)', debian: 'libzstd-dev' },
  { feature: 'sasl_gssapi', lost: 'SASL GSSAPI (Kerberos) authentication', debian: 'libsasl2-dev' },
  { feature: 'ssl', lost: 'SSL/TLS (security.protocol ssl and sasl_ssl) and SASL SCRAM', debian: 'libssl-dev' },
];

/** The features librdkafka was built with, or null when node-rdkafka cannot be loaded. */
function builtFeatures(argv) {
  const given = argv.find((a) => a.startsWith('--features='));
  if (given) return given.slice('--features='.length).split(',').filter(Boolean);
  try {
    const features = require('node-rdkafka').features;
    return Array.isArray(features) ? features : null;
  } catch {
    return null;
  }
}

/** The message for the features missing from `features`; '' when none is. */
function message(features) {
  const missing = FEATURES.filter((f) => !features.includes(f.feature));
  if (missing.length === 0) return '';
  return [
    'nest-rdkafka: node-rdkafka was compiled without some librdkafka features, because their headers were',
    'missing when it built. Without them:',
    ...missing.map((f) => `  - ${f.feature}: no ${f.lost}`),
    'To get them, install the headers, then rebuild node-rdkafka in your application:',
    `  Debian/Ubuntu: sudo apt-get install ${missing.map((f) => f.debian).join(' ')}`,
    '  elsewhere:     the development packages of zstd, Cyrus SASL and OpenSSL',
    '  then:          npm rebuild node-rdkafka',
    '(Check what a build has with: node -e "console.log(require(\'node-rdkafka\').features)")',
    '',
  ].join('\n');
}

/**
 * npm (7 and later) runs a dependency's install scripts with their output captured and shows it only when the
 * script fails; this one never fails, so when stderr is not the terminal the message goes to the terminal itself.
 */
function show(text, argv) {
  if (argv.includes('--stderr') || process.stderr.isTTY) {
    process.stderr.write(text);
    return;
  }
  try {
    fs.writeFileSync('/dev/tty', text);
  } catch {
    process.stderr.write(text); // no terminal (CI): npm keeps it in its log
  }
}

try {
  const argv = process.argv.slice(2);
  const features = builtFeatures(argv);
  const text = features ? message(features) : '';
  if (text) show(text, argv);
} catch {
  // Never fail an install over a message.
}
process.exitCode = 0;
