/**
 * The small server-rendered pages that the links in account mails open, until the web client
 * exists (issue 12, defect 10). Chinese first, English beneath. No inline script (the CSP allows
 * only same-origin scripts): account.js posts the form as JSON to the API routes, which stay
 * JSON-only. Opening a page changes nothing; only the button does (mail scanners follow links).
 */
const STYLE = `
  body { margin: 0; font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1f2933; background: #f4f6f9; }
  main { max-width: 420px; margin: 48px auto; background: #fff; padding: 24px; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,0.1); }
  h1 { margin: 0 0 4px; font-size: 20px; color: #1f5fa8; } .en { color: #6b7280; font-size: 13px; margin: 0 0 16px; }
  form { display: grid; gap: 12px; } label { display: grid; gap: 4px; font-size: 14px; }
  input { font: inherit; padding: 8px; border: 1px solid #cbd5e1; border-radius: 4px; }
  button { font: inherit; padding: 8px; background: #1f5fa8; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  .message { font-size: 14px; min-height: 1em; margin: 0; white-space: pre-line; } .error { color: #c0392b; } .done { color: #1e8449; }
  a { color: #1f5fa8; } [hidden] { display: none !important; }`;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function layout(titleZh: string, titleEn: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(titleZh)} · ${escapeHtml(titleEn)} · 瓯流 Ouflow</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(titleZh)}</h1>
<p class="en">${escapeHtml(titleEn)}</p>
${body}
<noscript><p class="message error">请启用 JavaScript 后再试。Please enable JavaScript.</p></noscript>
</main>
<script src="/auth/pages/account.js"></script>
</body>
</html>
`;
}

/** The token as a mail carries it (URL-safe base64, as the API's TokenDto accepts); anything else is refused. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export function invalidLinkPage(): string {
  return layout(
    '链接无效',
    'Invalid link',
    `<p class="message error">链接不完整或已损坏，请从邮件中重新打开，或重新申请。The link is incomplete or damaged; open it again from the mail, or ask for a new one.</p>`,
  );
}

/** Sets a password: a reset, a staff account's first password, an accepted invitation (one API route). */
export function setPasswordPage(token: string): string {
  return layout(
    '设置新密码',
    'Set a new password',
    `<form id="account-form" data-action="/auth/password/reset" data-done="密码已设置，请使用新密码登录。The password is set; sign in with it.">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label>新密码（至少12个字符，不要包含邮箱、姓名或单位名称）<span class="en">New password (at least 12 characters, not containing your email, name or organisation)</span>
<input type="password" name="password" autocomplete="new-password" minlength="12" maxlength="128" required></label>
<label>再次输入新密码<span class="en">Repeat the new password</span>
<input type="password" name="confirm" autocomplete="new-password" minlength="12" maxlength="128" required></label>
<button type="submit">设置密码 Set password</button>
<p class="message" id="account-message" role="status"></p>
</form>`,
  );
}

export function verifyEmailPage(token: string): string {
  return layout(
    '验证邮箱',
    'Verify your email address',
    `<form id="account-form" data-action="/auth/verify-email" data-done="邮箱已验证，现在可以登录。Your address is verified; you can sign in now.">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p>请点击下面的按钮完成邮箱验证。<span class="en">Press the button to verify your address.</span></p>
<button type="submit">验证邮箱 Verify</button>
<p class="message" id="account-message" role="status"></p>
</form>`,
  );
}

/** Posts the form's fields (but `confirm`) as JSON; shows the API's message, which is already bilingual. */
export const ACCOUNT_SCRIPT = `'use strict';
(function () {
  var form = document.getElementById('account-form');
  if (!form) return;
  var message = document.getElementById('account-message');
  function show(text, kind) { message.textContent = text; message.className = 'message ' + kind; }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var body = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.name !== 'confirm') body[field.name] = field.value;
    });
    if (form.elements.confirm && form.elements.confirm.value !== body.password) {
      show('两次输入的密码不一致。The two passwords differ.', 'error');
      return;
    }
    var button = form.querySelector('button');
    button.disabled = true;
    fetch(form.getAttribute('data-action'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (response.ok) {
        show(form.getAttribute('data-done'), 'done');
        Array.prototype.forEach.call(form.querySelectorAll('input, button'), function (field) { field.disabled = true; });
        return;
      }
      button.disabled = false;
      return response.json().then(function (answer) {
        show((answer && answer.error && answer.error.message) || ('错误 Error ' + response.status), 'error');
      });
    }).catch(function () {
      button.disabled = false;
      show('网络错误，请稍后再试。Network error; please try again.', 'error');
    });
  });
})();
`;
