import { writeRunText } from '../run-files/run-files.js';
import { renderReceiptHtmlFromModel } from './render-html.js';
import { renderReceiptMarkdownFromModel } from './render-markdown.js';
import { buildReceiptModel, type ReceiptInput } from './receipt-model.js';

/** Writes `receipt.md` and `receipt.html` into the run (through the run store) and returns their paths. */
export async function writeReceipts(input: ReceiptInput): Promise<{ md: string; html: string }> {
  const model = buildReceiptModel(input);
  const md = await writeRunText(input.runDir, 'receipt.md', renderReceiptMarkdownFromModel(model));
  const html = await writeRunText(input.runDir, 'receipt.html', renderReceiptHtmlFromModel(model));
  return { md, html };
}
