/**
 * The invoice page. Handlebars, compiled once; every value goes through `{{ }}` (HTML-escaped) — a
 * unit test fails on any `{{{`. The page loads nothing: fonts are the system's, no images, no links.
 */
export const INVOICE_TEMPLATE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Invoice {{number}}</title>
<style>
  * { box-sizing: border-box; }
  html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { margin: 0; font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; font-size: 10pt;
         line-height: 1.45; color: #1f2933; }
  .head { display: flex; justify-content: space-between; align-items: flex-start; }
  .seller-name { font-size: 17pt; font-weight: 700; color: #102a43; margin-bottom: 4px; }
  .muted { color: #627d98; }
  .title { text-align: right; }
  .title h1 { margin: 0; font-size: 26pt; letter-spacing: 3px; font-weight: 300; color: #243b53; }
  .title .number { font-size: 12pt; font-weight: 700; margin-top: 2px; }
  .rule { height: 3px; background: #243b53; margin: 18px 0 20px; }
  .parties { display: flex; justify-content: space-between; gap: 24px; }
  .label { font-size: 7.5pt; text-transform: uppercase; letter-spacing: 1.2px; color: #829ab1;
           margin-bottom: 3px; font-weight: 700; }
  .bill-to .name { font-weight: 700; font-size: 11pt; }
  table.meta { border-collapse: collapse; }
  table.meta td { padding: 2px 0 2px 18px; text-align: right; }
  table.meta td:first-child { color: #627d98; }
  table.meta tr.due td { font-weight: 700; color: #102a43; font-size: 11pt; padding-top: 6px; }
  .description { margin: 22px 0 0; font-size: 10.5pt; }
  table.lines { width: 100%; border-collapse: collapse; margin-top: 18px; }
  table.lines th { font-size: 7.5pt; text-transform: uppercase; letter-spacing: 1px; color: #486581;
                   text-align: right; padding: 8px 6px; border-bottom: 1.5px solid #243b53; }
  table.lines th:first-child, table.lines td:first-child { text-align: left; padding-left: 0; }
  table.lines th:last-child, table.lines td:last-child { padding-right: 0; }
  table.lines td { padding: 9px 6px; text-align: right; border-bottom: 1px solid #d9e2ec;
                   vertical-align: top; white-space: nowrap; }
  table.lines td.what { white-space: normal; word-break: break-word; width: 46%; }
  table.lines tr { page-break-inside: avoid; }
  .totals { display: flex; justify-content: flex-end; margin-top: 14px; page-break-inside: avoid; }
  .totals table { border-collapse: collapse; min-width: 46%; }
  .totals td { padding: 4px 0; text-align: right; }
  .totals td:first-child { text-align: left; color: #627d98; padding-right: 24px; }
  .totals tr.total td { border-top: 1.5px solid #243b53; font-weight: 700; padding-top: 8px; color: #102a43; }
  .totals tr.due td { background: #f0f4f8; font-weight: 700; font-size: 12pt; color: #102a43;
                      padding: 9px 10px; }
  .notes { margin-top: 28px; padding: 12px 14px; border-left: 3px solid #bcccdc; background: #f8fafc;
           white-space: pre-wrap; word-break: break-word; page-break-inside: avoid; }
  .stamp { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 90pt;
           font-weight: 700; letter-spacing: 12px; color: rgba(190, 30, 45, 0.12);
           transform: rotate(-24deg); }
  .pre { white-space: pre-wrap; word-break: break-word; }
</style>
</head>
<body>
{{#if stamp}}<div class="stamp">{{stamp}}</div>{{/if}}
<div class="head">
  <div class="seller">
    <div class="seller-name">{{seller.name}}</div>
    {{#each seller.addressLines}}<div class="muted">{{this}}</div>{{/each}}
  </div>
  <div class="title">
    <h1>INVOICE</h1>
    <div class="number">{{number}}</div>
  </div>
</div>
<div class="rule"></div>
<div class="parties">
  <div class="bill-to">
    <div class="label">Bill to</div>
    <div class="name">{{billTo.name}}</div>
    {{#each billTo.addressLines}}<div>{{this}}</div>{{/each}}
    {{#if billTo.email}}<div class="muted">{{billTo.email}}</div>{{/if}}
  </div>
  <table class="meta">
    <tr><td>Invoice number</td><td>{{number}}</td></tr>
    <tr><td>Issue date</td><td>{{issueDate}}</td></tr>
    <tr><td>Due date</td><td>{{dueDate}}</td></tr>
    <tr><td>Currency</td><td>{{currency}}</td></tr>
    <tr class="due"><td>Amount due</td><td>{{amountDue}}</td></tr>
  </table>
</div>
{{#if description}}<div class="description pre">{{description}}</div>{{/if}}
<table class="lines">
  <thead>
    <tr><th>Description</th><th>Qty</th><th>Unit price</th><th>Tax rate</th><th>Tax</th><th>Amount</th></tr>
  </thead>
  <tbody>
    {{#each lines}}
    <tr>
      <td class="what">{{description}}</td>
      <td>{{quantity}}</td>
      <td>{{unitPrice}}</td>
      <td>{{taxRate}}</td>
      <td>{{tax}}</td>
      <td>{{amount}}</td>
    </tr>
    {{/each}}
  </tbody>
</table>
<div class="totals">
  <table>
    <tr><td>Subtotal</td><td>{{subtotal}}</td></tr>
    <tr><td>Tax</td><td>{{tax}}</td></tr>
    <tr class="total"><td>Total</td><td>{{total}}</td></tr>
    <tr><td>Amount paid</td><td>{{amountPaid}}</td></tr>
    <tr class="due"><td>Amount due</td><td>{{amountDue}}</td></tr>
  </table>
</div>
{{#if notes}}<div class="notes"><div class="label">Notes</div>{{notes}}</div>{{/if}}
</body>
</html>
`;

/** Puppeteer's page footer (its own little document: inline styles only). */
export const FOOTER_TEMPLATE = `<div style="width:100%;font-size:7.5pt;color:#829ab1;padding:0 16mm;
font-family:'Liberation Sans','DejaVu Sans',Arial,sans-serif;display:flex;justify-content:space-between;">
<span>{{seller}} · Invoice {{number}}</span>
<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
