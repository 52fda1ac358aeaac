/**
 * Subjects and bodies. Text parts (subject, plain body) are compiled without HTML escaping — they are
 * not HTML — and the HTML body with it; either way values are only ever inserted with `{{ }}`.
 */
export const EMAIL_TEMPLATES = {
  invoice: {
    subject: 'Invoice {{number}} from {{sellerName}} — {{amountDue}} due {{dueDate}}',
    text: `Hello {{customerName}},

Please find attached invoice {{number}} from {{sellerName}}.

  Issue date:  {{issueDate}}
  Due date:    {{dueDate}}
  Amount due:  {{amountDue}}

{{#if notes}}{{notes}}

{{/if}}Thank you,
{{sellerName}}
`,
    html: `<p>Hello {{customerName}},</p>
<p>Please find attached invoice <strong>{{number}}</strong> from {{sellerName}}.</p>
<table cellpadding="4" style="border-collapse:collapse">
<tr><td>Issue date</td><td>{{issueDate}}</td></tr>
<tr><td>Due date</td><td>{{dueDate}}</td></tr>
<tr><td><strong>Amount due</strong></td><td><strong>{{amountDue}}</strong></td></tr>
</table>
{{#if notes}}<p style="white-space:pre-wrap">{{notes}}</p>{{/if}}
<p>Thank you,<br>{{sellerName}}</p>`,
  },
  reminder: {
    subject:
      '{{#if overdue}}Overdue: invoice {{number}} was due {{dueDate}}{{else}}Reminder: invoice {{number}} is due {{dueDate}}{{/if}} — {{amountDue}}',
    text: `Hello {{customerName}},

{{#if overdue}}Our records show that invoice {{number}} was due on {{dueDate}} ({{days}} day{{#if plural}}s{{/if}} ago) and has not been paid in full.{{else}}{{#if dueToday}}A friendly reminder that invoice {{number}} is due today, {{dueDate}}.{{else}}A friendly reminder that invoice {{number}} is due on {{dueDate}}, in {{days}} day{{#if plural}}s{{/if}}.{{/if}}{{/if}}

  Amount due:  {{amountDue}}

The invoice is attached. If you have already paid, thank you, and please disregard this message.

{{sellerName}}
`,
    html: `<p>Hello {{customerName}},</p>
{{#if overdue}}<p>Our records show that invoice <strong>{{number}}</strong> was due on {{dueDate}} ({{days}} day{{#if plural}}s{{/if}} ago) and has not been paid in full.</p>{{else}}{{#if dueToday}}<p>A friendly reminder that invoice <strong>{{number}}</strong> is due today, {{dueDate}}.</p>{{else}}<p>A friendly reminder that invoice <strong>{{number}}</strong> is due on {{dueDate}}, in {{days}} day{{#if plural}}s{{/if}}.</p>{{/if}}{{/if}}
<p><strong>Amount due: {{amountDue}}</strong></p>
<p>The invoice is attached. If you have already paid, thank you, and please disregard this message.</p>
<p>{{sellerName}}</p>`,
  },
} as const;
