/**
 * The tracking snippet a site includes (`<script async src="https://<tendril>/t/tendril.js"
 * data-consent="granted"></script>`), served by GET /t/tendril.js. It sets no cookie and sends
 * nothing until the visitor consented: `data-consent="granted"` on the tag, or
 * `tendril('consent', true)` from the site's consent banner (`false` forgets the visitor: its id and
 * token). Then it keeps a random visitor id in the site's localStorage and sends each page view (and
 * `tendril('track', 'name', {props})`) to /t/collect with `navigator.sendBeacon` as text/plain, so
 * no preflight is needed. An email link's contact token (`_tc`) is taken out of the address bar at
 * once and sent with the first page view, which identifies the visitor. A form posting to Tendril
 * (`/f/<id>`) gets the visitor id as a hidden `_tv` field when submitted: the submission identifies
 * the visitor too. Once known, the visitor's token (`vt`, the answer to a hit that asked) is kept
 * beside its id and sent with every hit: the endpoint then knows the contact without a read. A hit
 * that asks is sent with `fetch(…, {keepalive: true})` (a beacon's answer cannot be read): the email
 * link's, and those of the 10 minutes after a form submission or a link whose answer did not come.
 */
export const SNIPPET = `(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.tendril && window.tendril.loaded) return;
  var endpoint = new URL('/t/collect', script.src).href;
  var KEY = 'tendril_vid';
  var TOKEN = 'tendril_vt';
  var ASK = 'tendril_ask';
  var ASKING_MS = 600000;
  var store = null;
  try { store = window.localStorage; } catch (e) {}
  var consent = script.getAttribute('data-consent') === 'granted' || !!(store && store.getItem(KEY));
  var held = [];
  var here = new URL(location.href);
  var token = here.searchParams.get('_tc');
  if (token) {
    here.searchParams.delete('_tc');
    history.replaceState(history.state, '', here.toString());
  }
  function visitor() {
    var id = store && store.getItem(KEY);
    if (!id) {
      var bytes = new Uint8Array(18);
      crypto.getRandomValues(bytes);
      id = btoa(String.fromCharCode.apply(null, bytes)).replace(/\\+/g, '-').replace(/\\//g, '_');
      if (store) store.setItem(KEY, id);
    }
    return id;
  }
  function asking() {
    var since = store && Number(store.getItem(ASK));
    return !!since && Date.now() - since < ASKING_MS;
  }
  // Keeps the visitor token an answer gives (if the visitor is still the one that asked).
  function answered(hit, res) {
    if (res.status !== 200) return;
    res.json().then(function (answer) {
      if (!answer || typeof answer.vt !== 'string' || !consent || !store || store.getItem(KEY) !== hit.v) return;
      // An email link's answer is final; after a form, until the token names the new contact.
      if (hit.ct || answer.vt !== hit.vt) store.removeItem(ASK);
      store.setItem(TOKEN, answer.vt);
    }, function () {});
  }
  function post(hit) {
    hit.v = visitor();
    var known = store && store.getItem(TOKEN);
    if (known) hit.vt = known;
    if (hit.ct && store) store.setItem(ASK, String(Date.now()));
    else if (asking()) hit.ask = true;
    var body = JSON.stringify(hit);
    if ((hit.ct || hit.ask) && window.fetch) {
      fetch(endpoint, { method: 'POST', body: body, keepalive: true, credentials: 'omit' })
        .then(function (res) { answered(hit, res); }, function () {});
      return;
    }
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) return;
    fetch(endpoint, { method: 'POST', body: body, keepalive: true, mode: 'no-cors' });
  }
  // What the endpoint takes: short scalar properties with plain names (others are left out).
  function properties(props) {
    if (!props || typeof props !== 'object') return undefined;
    var out = {};
    var n = 0;
    Object.keys(props).forEach(function (key) {
      var value = props[key];
      var scalar = typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string';
      if (n >= 20 || !scalar || !/^[A-Za-z0-9_.-]{1,40}$/.test(key) || key in Object.prototype) return;
      out[key] = typeof value === 'string' ? value.slice(0, 200) : value;
      n++;
    });
    return n > 0 ? out : undefined;
  }
  function send(hit) {
    hit.url = location.href.slice(0, 2000);
    if (document.referrer) hit.ref = document.referrer.slice(0, 2000);
    if (document.title) hit.title = document.title.slice(0, 300);
    if (token) { hit.ct = token; token = null; }
    if (consent) post(hit); else held.push(hit);
  }
  var api = function (command, a, b) {
    if (command === 'consent') {
      consent = !!a;
      if (consent) { var queue = held; held = []; queue.forEach(post); }
      else { held = []; if (store) { store.removeItem(KEY); store.removeItem(TOKEN); store.removeItem(ASK); } }
    } else if (command === 'track') send({ t: 'event', name: String(a).slice(0, 64), props: properties(b) });
    else if (command === 'page') send({ t: 'page' });
  };
  // A form posting to this Tendril carries the visitor: submitting it identifies the visitor.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!consent || !form || !form.action || new URL(form.action, location.href).origin !== new URL(endpoint).origin) return;
    var field = form.querySelector('input[name="_tv"]');
    if (!field) {
      field = document.createElement('input');
      field.type = 'hidden';
      field.name = '_tv';
      form.appendChild(field);
    }
    field.value = visitor();
    // The submission identifies the visitor a moment later: the next hits ask for its token.
    if (store) store.setItem(ASK, String(Date.now()));
  }, true);
  var queued = window.tendril && window.tendril.q || [];
  window.tendril = api;
  api.loaded = true;
  send({ t: 'page' });
  queued.forEach(function (args) { api.apply(null, args); });
})();
`;
