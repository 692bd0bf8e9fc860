// Parses every ```mermaid block of the markdown files given with mermaid's own
// parser (mermaid.parse) in a jsdom window; scripts/check-mermaid.sh runs it.
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
let n = 0, bad = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/```mermaid\n([\s\S]*?)```/g)) {
    n++;
    try {
      const r = await mermaid.parse(m[1]);
      console.log(`${file}: chart ${n}: ${r.diagramType}: parsed`);
    } catch (e) {
      bad++;
      console.log(`${file}: chart ${n}: ${e.message || e}`);
    }
  }
}
console.log(`${n - bad} of ${n} Mermaid charts parsed`);
process.exit(bad || n === 0 ? 1 : 0);
