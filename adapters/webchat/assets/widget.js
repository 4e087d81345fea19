// Sportello chat widget. Put on any page:
//
//   <script src="https://chat.example.com/widget.js" async
//           data-color="#0f766e" data-position="right" data-label="Chat with us"></script>
//
// It adds a round button that opens the chat in a panel (an iframe of this
// server's page, so the conversation stays on the chat's origin and the
// page's styles cannot reach it). Options, all optional:
//   data-color     accent colour, #rgb or #rrggbb (default #0f766e)
//   data-position  "right" (default) or "left"
//   data-label     the button's accessible name and the panel's title (default "Chat")
//   data-open      "true" to open the panel when the page loads
(() => {
  'use strict';
  const me = document.currentScript;
  if (!me || window.__sportelloWidget) return;
  window.__sportelloWidget = true;

  const src = new URL(me.src, location.href);
  const origin = src.origin;
  const opt = me.dataset;
  const color = /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(opt.color || '') ? opt.color : '#0f766e';
  const side = opt.position === 'left' ? 'left' : 'right';
  const label = (opt.label || 'Chat').slice(0, 80);
  const pageURL = new URL('./?embed=1&accent=' + encodeURIComponent(color), src).href;

  const css = `
    :host { all: initial; }
    .btn {
      position: fixed; ${side}: 20px; bottom: 20px; z-index: 2147483000;
      width: 60px; height: 60px; border-radius: 50%; border: 0; padding: 0; cursor: pointer;
      background: ${color}; color: #fff; display: grid; place-items: center;
      box-shadow: 0 6px 20px rgb(0 0 0 / .22), 0 2px 6px rgb(0 0 0 / .12);
      transition: transform .15s ease;
    }
    .btn:hover { transform: scale(1.06); }
    .btn:focus-visible { outline: 3px solid ${color}; outline-offset: 3px; }
    .btn svg { width: 28px; height: 28px; }
    .badge {
      position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 5px;
      border-radius: 10px; background: #e11d48; color: #fff; box-sizing: border-box;
      font: 600 12px/20px system-ui, sans-serif; text-align: center;
    }
    .panel {
      position: fixed; ${side}: 20px; bottom: 92px; z-index: 2147483000;
      width: 380px; height: min(640px, calc(100vh - 116px));
      border-radius: 18px; overflow: hidden; background: #fff;
      box-shadow: 0 12px 48px rgb(0 0 0 / .24), 0 2px 8px rgb(0 0 0 / .12);
    }
    .panel iframe { width: 100%; height: 100%; border: 0; display: block; }
    [hidden] { display: none !important; }
    @media (max-width: 480px) {
      .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
      .open .btn { display: none; }
    }
  `;

  const host = document.createElement('div');
  host.setAttribute('data-sportello', '');
  const root = host.attachShadow({ mode: 'open' });
  // A constructed style sheet is not inline style, so the shop's CSP allows it.
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
  }
  const wrap = document.createElement('div');
  const ns = 'http://www.w3.org/2000/svg';
  const icon = (d) => {
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'currentColor');
    svg.append(path);
    return svg;
  };
  const chatIcon = 'M12 3C6.5 3 2 6.9 2 11.7c0 2.6 1.3 4.9 3.4 6.5L4.6 21.4c-.1.4.3.7.7.5l3.8-1.9c.9.2 1.9.4 2.9.4 5.5 0 10-3.9 10-8.7S17.5 3 12 3z';
  const closeIcon = 'M18.3 5.7a1 1 0 00-1.4 0L12 10.6 7.1 5.7a1 1 0 10-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 101.4 1.4l4.9-4.9 4.9 4.9a1 1 0 001.4-1.4L13.4 12l4.9-4.9a1 1 0 000-1.4z';

  const btn = document.createElement('button');
  btn.type = 'button';
  btn.className = 'btn';
  btn.setAttribute('aria-label', label);
  btn.setAttribute('aria-expanded', 'false');
  btn.append(icon(chatIcon));
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.hidden = true;
  btn.append(badge);

  const panel = document.createElement('div');
  panel.className = 'panel';
  panel.hidden = true;
  const frame = document.createElement('iframe');
  frame.title = label;
  frame.setAttribute('allow', 'clipboard-write');
  panel.append(frame);
  wrap.append(panel, btn);
  root.append(wrap);

  let open = false, unread = 0;
  function setOpen(v) {
    open = v;
    // The page loads on the first opening, not with the shop's page.
    if (v && !frame.src) frame.src = pageURL;
    panel.hidden = !v;
    wrap.classList.toggle('open', v);
    btn.setAttribute('aria-expanded', String(v));
    btn.replaceChild(icon(v ? closeIcon : chatIcon), btn.firstChild);
    if (v) {
      unread = 0;
      badge.hidden = true;
      if (frame.contentWindow) frame.contentWindow.postMessage({ type: 'sportello:open' }, origin);
    } else {
      btn.focus();
    }
  }
  btn.addEventListener('click', () => setOpen(!open));
  window.addEventListener('message', (e) => {
    if (e.origin !== origin || e.source !== frame.contentWindow || !e.data) return;
    if (e.data.type === 'sportello:close') setOpen(false);
    if (e.data.type === 'sportello:reply' && !open) {
      unread++;
      badge.textContent = unread > 9 ? '9+' : String(unread);
      badge.hidden = false;
    }
  });

  const mount = () => {
    document.body.append(host);
    if (opt.open === 'true') setOpen(true);
  };
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
