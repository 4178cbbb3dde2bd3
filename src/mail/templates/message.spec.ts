import { html, raw } from './html.js';
import { facts, link, list, paragraph, renderMail } from './message.js';

describe('mail templates', () => {
  it('escapes every value in the HTML part and keeps the text part as written', () => {
    const evil = `<script>alert("x")</script> & 'quoted'`;
    const mail = renderMail({
      subject: `Hi ${evil}`,
      name: evil,
      blocks: [paragraph(evil), facts([[evil, evil]]), list([evil]), link(evil, 'https://example.com/?a=1&b="2"')],
      footer: evil,
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;');
    expect(mail.html).toContain('href="https://example.com/?a=1&amp;b=&quot;2&quot;"');
    expect(mail.text).toContain(`Hello ${evil},`);
    expect(mail.text).toContain(`${evil}: ${evil}`);
    expect(mail.text).toContain(`- ${evil}`);
    expect(mail.subject).toBe(`Hi ${evil}`);
  });

  it('lets only the templates’ own markup through', () => {
    expect(html`<p>${raw('<br>')}${'<br>'}</p>`.value).toBe('<p><br>&lt;br&gt;</p>');
    expect(html`${['<a>', html`<b></b>`]}`.value).toBe('&lt;a&gt;<b></b>');
  });
});
