// ../shared/tools/pdfcheck/read_pdfjs.mjs run on many files by one node process (for
// tests/tagcheck.py): node and pdf.js start once (~0.5 s of CPU a file) instead of per file.
//
//   node pdfjs_reader.mjs READ_PDFJS_MJS      then one file path a line on stdin
//
// For each path the script itself is evaluated again, unchanged (a fresh module instance: its
// URL with ?run=N), with process.argv as `node read_pdfjs.mjs PATH --json` would give it and
// console.log captured; one JSON line answers: {"stdout": what it printed} or {"error": why}.
// pdf.js is imported by the script and, its URL being the same each time, loaded once.
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

const script = process.argv[2];
const url = pathToFileURL(script).href;
const lines = readline.createInterface({ input: process.stdin, terminal: false });
let run = 0;
const log = console.log;
for await (const file of lines) {
  const printed = [];
  process.argv = [process.argv[0], script, file, '--json'];
  console.log = (...args) => printed.push(args.join(' '));
  let answer;
  try {
    await import(`${url}?run=${++run}`);
    answer = { stdout: printed.map((p) => p + '\n').join('') };
  } catch (err) {
    answer = { error: String(err && err.stack ? err.stack : err) };
  } finally {
    console.log = log;
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
