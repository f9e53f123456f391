#!/usr/bin/env node
// Runs the graphql-http GraphQL-over-HTTP conformance audit (every MUST,
// SHOULD and MAY check) against a running server:
//
//   node tools/graphql-http-audit/audit.mjs http://127.0.0.1:8080/graphql
//
// It prints one line per audit (status, id, name and, when not ok, the
// reason), then a last line of JSON counts:
// {"ok":N,"notice":N,"warn":N,"error":N,"total":N}.
// "error" is a failed MUST, "warn" a failed SHOULD, "notice" a failed MAY.
// The exit code is 1 when any MUST failed, 2 on a usage or fatal error.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url || process.argv.length > 3) {
  console.error('usage: node audit.mjs URL   (e.g. http://127.0.0.1:8080/graphql)');
  process.exit(2);
}

let results;
try {
  results = await auditServer({ url });
} catch (err) {
  console.error(`audit of ${url} failed: ${err?.stack ?? err}`);
  process.exit(2);
}

const counts = { ok: 0, notice: 0, warn: 0, error: 0, total: results.length };
for (const r of results) {
  counts[r.status] = (counts[r.status] ?? 0) + 1;
  let line = `${r.status.padEnd(6)} ${r.id} ${r.name}`;
  if (r.status !== 'ok') {
    line += `\n       reason: ${r.reason}`;
    const res = r.response;
    if (res) {
      let body = '';
      try {
        body = await res.text();
      } catch {
        // the audit may already have read the body
      }
      line += `\n       response: ${res.status} ${res.headers.get('content-type') ?? '(no content-type)'}`;
      body = body.trim();
      if (body) line += ` ${body.length > 300 ? body.slice(0, 300) + '…' : body}`;
    }
  }
  console.log(line);
}
console.log(JSON.stringify(counts));
process.exit(counts.error > 0 ? 1 : 0);
