// Sportello web chat: the page's script. No framework, no build step.
// Customer text is only ever set with textContent or text nodes.
(() => {
  'use strict';

  const TEXTS = {
    en: {
      message: 'Message', placeholder: 'Write a message…', send: 'Send', close: 'Close chat',
      connecting: 'Connecting…', online: 'Online', reconnecting: 'Connection lost, reconnecting…',
      hello: 'Hi! How can we help you today?', hint: 'Write your question below, we answer right away.',
      sending: 'Sending…', retrying: 'Not sent yet, trying again…', failed: 'Not sent.',
      flood: 'You are sending messages a little too fast. We will send the next one in a few seconds.',
      tooLong: 'This message is too long to send.', typing: 'Typing…', agent: 'Agent', you: 'You',
    },
    it: {
      message: 'Messaggio', placeholder: 'Scrivi un messaggio…', send: 'Invia', close: 'Chiudi la chat',
      connecting: 'Connessione…', online: 'Online', reconnecting: 'Connessione persa, riprovo…',
      hello: 'Ciao! Come possiamo aiutarti?', hint: 'Scrivi qui sotto la tua domanda, rispondiamo subito.',
      sending: 'Invio…', retrying: 'Non ancora inviato, riprovo…', failed: 'Non inviato.',
      flood: 'Stai scrivendo un po\u2019 troppo in fretta. Invieremo il prossimo messaggio tra qualche secondo.',
      tooLong: 'Questo messaggio è troppo lungo per essere inviato.', typing: 'Sta scrivendo…', agent: 'Operatore', you: 'Tu',
    },
  };
  const lang = String(navigator.language || 'en').slice(0, 35);
  const T = TEXTS[lang.slice(0, 2).toLowerCase()] || TEXTS.en;

  const $ = (id) => document.getElementById(id);
  const logEl = $('log'), input = $('input'), sendBtn = $('send'), form = $('composer');
  const statusEl = $('status'), statusText = $('status-text'), notice = $('notice'), empty = $('empty');
  const embedded = document.body.classList.contains('embed');

  // Storage may be refused (private modes, blocked third-party storage):
  // the chat then works for the life of the page.
  const memory = {};
  const store = {
    get(k) { try { return JSON.parse(localStorage.getItem('sportello.' + k)); } catch { return memory[k]; } },
    set(k, v) { memory[k] = v; try { localStorage.setItem('sportello.' + k, JSON.stringify(v)); } catch { /* memory only */ } },
  };

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // backoff returns the wait before attempt n: 1 s doubling to 30 s, with jitter.
  const backoff = (n) => Math.min(30000, 1000 * 2 ** n) * (0.6 + Math.random() * 0.4);
  const newId = () => {
    const b = new Uint8Array(12);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  };

  let visitor = null;
  // The outbox keeps the customer's messages until the server took them,
  // across reloads; a retry sends the same id, so nothing is handled twice.
  let outbox = Array.isArray(store.get('outbox')) ? store.get('outbox') : [];
  const saveOutbox = () => store.set('outbox', outbox);

  // --- Localisation and look -------------------------------------------------

  document.documentElement.lang = T === TEXTS.it ? 'it' : 'en';
  input.placeholder = T.placeholder;
  $('input-label').textContent = T.message;
  sendBtn.setAttribute('aria-label', T.send);
  $('hello').textContent = T.hello;
  $('hint').textContent = T.hint;
  if ($('close')) $('close').setAttribute('aria-label', T.close);
  const accent = new URLSearchParams(location.search).get('accent');
  if (accent && /^#[0-9a-fA-F]{3,8}$/.test(accent)) document.documentElement.style.setProperty('--accent', accent);

  function setStatus(text, state) {
    statusText.textContent = text;
    statusEl.dataset.state = state;
  }

  let noticeTimer = 0;
  function showNotice(text, ms) {
    notice.textContent = text;
    notice.hidden = false;
    clearTimeout(noticeTimer);
    if (ms) noticeTimer = setTimeout(() => { notice.hidden = true; }, ms);
  }

  // --- Rendering ---------------------------------------------------------------

  const nearBottom = () => logEl.scrollHeight - logEl.scrollTop - logEl.clientHeight < 120;
  // scrollDown scrolls to the latest line: smoothly for a live line, at once
  // for a whole history.
  const calm = matchMedia('(prefers-reduced-motion: reduce)').matches;
  const scrollDown = (smooth) =>
    logEl.scrollTo({ top: logEl.scrollHeight, behavior: smooth && !calm ? 'smooth' : 'instant' });

  // follow says whether the log keeps to its latest line. It is kept, not
  // measured when a line arrives: while a smooth scroll is on its way the
  // log is not at the bottom yet, and the lines of a reply arrive together
  // (three bubbles, a notice, a button), so measuring stopped following
  // halfway and left the last ones below the fold. Only the reader stops
  // it, by scrolling up; coming back near the bottom starts it again.
  let follow = true, lastTop = 0;
  logEl.addEventListener('scroll', () => {
    const top = logEl.scrollTop;
    if (nearBottom()) follow = true;
    else if (top < lastTop - 1) follow = false;
    lastTop = top;
  }, { passive: true });
  // The log shrinks when the composer grows or a phone's keyboard opens:
  // a reader who follows still sees the latest line.
  if (window.ResizeObserver) new ResizeObserver(() => { if (follow) scrollDown(); }).observe(logEl);

  // fillText puts text in el, turning web addresses into links. It creates
  // text nodes and anchors only: no markup from the text is ever parsed.
  function fillText(el, text, links) {
    if (!links) { el.textContent = text; return; }
    const re = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;
    let last = 0, m;
    while ((m = re.exec(text))) {
      el.append(text.slice(last, m.index));
      const a = document.createElement('a');
      a.href = m[0];
      a.textContent = m[0];
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      el.append(a);
      last = re.lastIndex;
    }
    el.append(text.slice(last));
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  const clock = (t) => {
    const d = t ? new Date(t) : new Date();
    return isNaN(d) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  };

  // The quick replies of an earlier message are stale once anything but a
  // system or desk line follows it.
  function dropChoices() {
    for (const c of logEl.querySelectorAll('.choices')) c.remove();
  }

  let typingEl = null;
  function addLine(l, pendingId, live) {
    empty.hidden = true;
    // The customer's new message brings them back to the latest line.
    const stick = follow || (live && l.type === 'customer');
    let node;
    if (l.type === 'system' || l.type === 'desk') {
      // A desk line is what the demo's in-process desk tells the agents,
      // shown to the customer: grey, set apart from the conversation.
      node = el('div', 'line ' + l.type);
      node.append(el('span', null, l.text));
    } else {
      dropChoices();
      const kind = l.type === 'customer' ? 'customer' : l.type === 'agent' ? 'agent' : 'bot';
      node = el('div', 'line ' + kind);
      if (kind === 'agent') node.append(el('div', 'from', l.from || T.agent));
      const bubble = el('div', 'bubble');
      fillText(bubble, l.text || '', kind !== 'customer');
      bubble.title = clock(l.time);
      node.append(bubble);
      if (kind === 'customer' && pendingId) {
        node.dataset.pending = pendingId;
        node.append(el('div', 'meta', ''));
      }
      if (kind !== 'customer' && Array.isArray(l.buttons) && l.buttons.length) {
        const row = el('div', 'choices');
        row.setAttribute('role', 'group');
        for (const b of l.buttons) {
          const btn = el('button', 'choice', b.title);
          btn.type = 'button';
          btn.addEventListener('click', () => {
            row.remove();
            queue(b.title, b.payload);
          });
          row.append(btn);
        }
        node.append(row);
      }
    }
    if (live) node.classList.add('new');
    logEl.insertBefore(node, typingEl && typingEl.isConnected ? typingEl : null);
    if (stick) {
      follow = true;
      scrollDown(live);
    }
    return node;
  }

  function pendingNode(id) {
    return logEl.querySelector('[data-pending="' + CSS.escape(id) + '"]');
  }

  function markPending(id, state, text) {
    const n = pendingNode(id);
    if (!n) return;
    n.classList.toggle('failed', state === 'failed');
    n.classList.toggle('waiting', state !== 'sent');
    const meta = n.querySelector('.meta');
    if (meta) meta.textContent = text || '';
    if (state === 'sent' || state === 'failed') delete n.dataset.pending;
  }

  let rendered = false;
  function render(lines) {
    // A reconnection redraws the conversation: keep a reader where they are.
    const stick = !rendered || follow, top = logEl.scrollTop;
    rendered = true;
    for (const n of logEl.querySelectorAll('.line')) n.remove();
    for (const l of lines) addLine(l);
    for (const m of outbox) {
      addLine({ type: 'customer', text: m.text }, m.id);
      markPending(m.id, 'waiting', T.sending);
    }
    empty.hidden = lines.length > 0 || outbox.length > 0;
    if (stick) scrollDown();
    else logEl.scrollTop = top;
  }

  let typingTimer = 0;
  function showTyping(ms) {
    clearTimeout(typingTimer);
    if (!typingEl) {
      typingEl = el('div', 'line bot typing');
      const b = el('div', 'bubble');
      b.setAttribute('aria-label', T.typing);
      b.append(el('i'), el('i'), el('i'));
      typingEl.append(b);
    }
    logEl.append(typingEl);
    if (follow) scrollDown(true);
    if (ms) typingTimer = setTimeout(hideTyping, ms);
  }
  function hideTyping() {
    clearTimeout(typingTimer);
    if (typingEl) typingEl.remove();
  }

  // --- Sending -------------------------------------------------------------------

  let sending = false, pumpTimer = 0, notBefore = 0, failures = 0;

  function queue(text, payload) {
    const m = { id: newId(), text, payload: payload || '', lang };
    outbox.push(m);
    saveOutbox();
    addLine({ type: 'customer', text, time: new Date().toISOString() }, m.id, true);
    pump();
  }

  // pump sends the outbox one message at a time, in order.
  async function pump() {
    if (sending || !outbox.length || !visitor) return;
    const wait = notBefore - Date.now();
    if (wait > 0) {
      clearTimeout(pumpTimer);
      pumpTimer = setTimeout(pump, wait);
      return;
    }
    sending = true;
    const m = outbox[0], sentAt = Date.now(), sentAs = visitor;
    showTyping();
    let res = null, body = {};
    try {
      res = await fetch('chat/messages', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ visitor: sentAs, id: m.id, text: m.text, payload: m.payload, lang: m.lang }),
      });
      body = await res.json().catch(() => ({}));
    } catch { res = null; }
    sending = false;

    if (res && res.ok) {
      outbox.shift();
      saveOutbox();
      markPending(m.id, 'sent');
      failures = 0;
      // The replies are committed with the message: they arrive on the
      // stream now (often before this answer), or with the history if
      // the stream is down.
      if (!connected) refresh();
      else if (lastReply < sentAt) {
        showTyping(1500);
        expectReply();
      }
      pump();
      return;
    }
    if (res && res.status === 400 && body.code === 'bad_visitor') {
      // The server did not issue this visitor (an ID of an older page, or
      // a key it no longer has): the message stays and goes with a new one.
      hideTyping();
      if (sentAs === visitor) renewVisitor();
      else pump(); // renewed meanwhile
      return;
    }
    if (res && [400, 403, 413, 415].includes(res.status)) {
      hideTyping();
      outbox.shift();
      saveOutbox();
      markPending(m.id, 'failed', res.status === 413 ? T.tooLong : T.failed);
      pump();
      return;
    }
    // 429, 503 or no network: keep the message and send it again, same id.
    hideTyping();
    let delay;
    if (res && res.status === 429) {
      delay = (parseInt(res.headers.get('Retry-After'), 10) || 3) * 1000;
      showNotice(T.flood, delay + 1000);
      markPending(m.id, 'waiting', T.sending);
    } else {
      delay = backoff(failures++);
      markPending(m.id, 'waiting', T.retrying);
    }
    notBefore = Date.now() + delay;
    pump();
  }

  // --- Receiving ----------------------------------------------------------------

  let es = null, connected = false, attempts = 0, lastReply = 0;
  // gen counts the streams opened: a reconnection planned for a stream
  // that was replaced since (a new visitor) does not happen.
  let gen = 0;

  function stopStream() {
    gen++;
    if (es) es.close();
    es = null;
    connected = false;
  }

  // When no reply comes on the stream soon after a message, load the
  // history: behind a load balancer, another server may have sent it.
  let replyTimer = 0;
  function expectReply() {
    clearTimeout(replyTimer);
    replyTimer = setTimeout(refresh, 3000);
  }
  let refreshing = false, dirty = false;

  function connect() {
    stopStream();
    const mine = gen;
    setStatus(attempts ? T.reconnecting : T.connecting, attempts ? 'offline' : 'connecting');
    es = new EventSource('chat/events?visitor=' + encodeURIComponent(visitor));
    es.addEventListener('ready', () => {
      attempts = 0;
      renewals = 0;
      connected = true;
      setStatus(T.online, 'online');
      // The stream is registered: the history now holds everything that
      // was not pushed on it.
      refresh();
    });
    es.addEventListener('reply', (ev) => {
      let l;
      try { l = JSON.parse(ev.data); } catch { return; }
      if (refreshing) dirty = true;
      lastReply = Date.now();
      clearTimeout(replyTimer);
      hideTyping();
      addLine(l, null, true);
      if (embedded) parent.postMessage({ type: 'sportello:reply' }, '*');
    });
    es.onerror = () => {
      if (mine !== gen) return;
      // Reconnect ourselves, with backoff, rather than at EventSource's pace.
      es.close();
      connected = false;
      setStatus(T.reconnecting, 'offline');
      // A stream does not say why it failed; the history does, and a
      // refused visitor is renewed there.
      refresh();
      setTimeout(() => { if (mine === gen) connect(); }, backoff(attempts++));
    };
  }

  // refresh loads the history and draws it. A reply that arrives on the
  // stream while the history is on its way may or may not be in it: load
  // again then, since it is in the transcript before it is pushed.
  async function refresh() {
    if (refreshing) { dirty = true; return; }
    refreshing = true;
    for (let i = 0; i < 3; i++) {
      dirty = false;
      // The visitor may be renewed while the history is on its way: an
      // answer about the one before is not drawn, nor acted on.
      const v = visitor;
      if (!v) break;
      try {
        const res = await fetch('chat/history?visitor=' + encodeURIComponent(v), { cache: 'no-store' });
        const body = await res.json().catch(() => ({}));
        if (v !== visitor) { dirty = true; continue; }
        if (res.status === 400 && body.code === 'bad_visitor') {
          refreshing = false;
          renewVisitor();
          return;
        }
        if (!res.ok) break;
        render(Array.isArray(body.lines) ? body.lines : []);
      } catch { break; }
      if (!dirty) break;
    }
    refreshing = false;
  }

  // --- Visitor ------------------------------------------------------------------

  // A visitor token is issued and signed by the server. An ID of the old
  // form (32 hex digits), kept by an earlier version of the page, is not
  // one: the page asks for a token instead.
  const TOKEN = /^v1\.[A-Za-z0-9_-]{43}$/;

  // newVisitor asks the server for a visitor token until it gets one.
  async function newVisitor() {
    for (let n = 0; ; n++) {
      let wait = backoff(n);
      try {
        const res = await fetch('chat/visitors', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}',
        });
        if (res.ok) {
          const { visitor } = await res.json();
          if (typeof visitor === 'string' && TOKEN.test(visitor)) {
            store.set('visitor', visitor);
            return visitor;
          }
        } else if (res.status === 429) {
          wait = Math.max(wait, (parseInt(res.headers.get('Retry-After'), 10) || 0) * 1000);
        }
      } catch { /* offline: try again */ }
      setStatus(T.reconnecting, 'offline');
      await sleep(wait);
    }
  }

  async function getVisitor() {
    const v = store.get('visitor');
    if (typeof v === 'string' && TOKEN.test(v)) return v;
    return newVisitor();
  }

  // renewVisitor replaces a visitor the server refused: the conversation
  // it held is out of reach, but the messages not sent yet stay in the
  // outbox and go with the new visitor.
  // renewals counts the renewals since a visitor last worked: should the
  // server keep refusing the visitors it gives (replicas with different
  // keys), the page asks again more and more slowly, not in a tight loop.
  let renewing = null, renewals = 0;
  function renewVisitor() {
    if (renewing) return renewing;
    renewing = (async () => {
      stopStream();
      visitor = null;
      store.set('visitor', null);
      if (renewals++) await sleep(backoff(renewals - 2));
      visitor = await newVisitor();
      attempts = 0;
      connect();
      pump();
    })().finally(() => { renewing = null; });
    return renewing;
  }

  // --- Composer -----------------------------------------------------------------

  function resize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 140) + 'px';
  }
  input.addEventListener('input', () => {
    sendBtn.disabled = !input.value.trim();
    resize();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
    if (e.key === 'Escape' && embedded) parent.postMessage({ type: 'sportello:close' }, '*');
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    sendBtn.disabled = true;
    resize();
    input.focus();
    queue(text, '');
  });
  if ($('close')) $('close').addEventListener('click', () => parent.postMessage({ type: 'sportello:close' }, '*'));
  window.addEventListener('message', (e) => {
    if (e.source === parent && e.data && e.data.type === 'sportello:open') input.focus();
  });

  (async () => {
    setStatus(T.connecting, 'connecting');
    visitor = await getVisitor();
    input.disabled = false;
    if (!embedded) input.focus();
    connect();
    pump();
  })();
})();
