// The participant's page: consent, pairs, countdown, thanks. The server keeps the state and
// the clock; this page only shows pairs once both images are decoded and reports when.
'use strict';

const $ = (id) => document.getElementById(id);
const store = window.localStorage;
let token = store.getItem('surveyToken');
let current = null;   // the trial on screen (the server's TrialView)
let phase = 'idle';   // idle | loading | shown | sending
let deadline = null;  // performance.now() at which a timed pair runs out
let ticker = null;
let retry = null;     // the action to repeat after an error

function setPhase(p) { phase = p; document.body.dataset.phase = p; }

async function api(method, path, body) {
  const init = { method, cache: 'no-store' };
  if (body !== undefined) {
    init.headers = { 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = new Error(data.error || ('HTTP ' + res.status));
    e.status = res.status;
    throw e;
  }
  return data;
}

function show(screen) {
  for (const id of ['consent', 'trial', 'thanks']) $(id).hidden = id !== screen;
  document.body.dataset.screen = screen;
}

function fail(error, action) {
  retry = action;
  $('error-text').textContent = 'Something went wrong: ' + error.message;
  $('error').hidden = false;
}

$('retry').addEventListener('click', () => {
  $('error').hidden = true;
  const action = retry;
  retry = null;
  if (action) action();
});

async function start() {
  try {
    const info = await api('GET', '/api/info');
    $('trial-count').textContent = info.trials;
    $('limit-seconds').textContent = (info.timeLimitMs / 1000).toString();
    $('rule-timed').hidden = info.mode !== 'timed';
    $('rule-unlimited').hidden = info.mode === 'timed';
    if (new URLSearchParams(location.search).has('new')) { store.removeItem('surveyToken'); token = null; }
    if (token) {
      try {
        render(await api('GET', '/api/state?token=' + encodeURIComponent(token)));
        return;
      } catch (e) {
        if (e.status !== 403) throw e;
        store.removeItem('surveyToken');
        token = null;
      }
    }
    show('consent');
    $('start').focus();
  } catch (e) {
    fail(e, start);
  }
}

$('start').addEventListener('click', async () => {
  $('start').disabled = true;
  try {
    const r = await api('POST', '/api/participants', { consent: true });
    token = r.token;
    store.setItem('surveyToken', token);
    render(r.state);
  } catch (e) {
    $('start').disabled = false;
    fail(e, () => $('start').click());
  }
});

function imageURL(t, side) {
  return '/api/image?token=' + encodeURIComponent(token) + '&trial=' + t.trial + '&side=' + side;
}

function loadImage(url) {
  const img = new Image();
  img.src = url;
  return img.decode().then(() => img);
}

function nextFrame() { return new Promise((r) => requestAnimationFrame(() => r())); }

async function render(state) {
  stopTimer();
  if (state.finished) {
    current = null;
    setPhase('idle');
    show('thanks');
    return;
  }
  const t = state.trial;
  current = t;
  setPhase('loading');
  show('trial');
  $('progress-text').textContent = 'Pair ' + t.number + ' of ' + t.total;
  $('progress').max = t.total;
  $('progress').value = state.done;
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  $('pair').classList.add('waiting');
  $('loading').hidden = false;
  $('countdown').hidden = true;
  try {
    // Both images decoded before either is shown: the clock starts when both are on screen.
    const [left, right] = await Promise.all([loadImage(imageURL(t, 'left')), loadImage(imageURL(t, 'right'))]);
    if (current !== t) return;
    for (const [side, img] of [['left', left], ['right', right]]) {
      img.id = side + '-img';
      img.alt = side + ' picture';
      img.draggable = false;
      if (t.flipped === side) img.className = 'flipped';
      $(side).replaceChildren(img);
    }
    $('pair').classList.remove('waiting');
    $('loading').hidden = true;
    await nextFrame();
    await nextFrame();
    const box = $('left').getBoundingClientRect();
    const size = Math.round(box.width) + 'x' + Math.round(box.height) + '@' +
      (Math.round(window.devicePixelRatio * 100) / 100) + 'x';
    const shown = await api('POST', '/api/shown', { token, trial: t.trial, size });
    if (current !== t) return;
    if (!shown.trial || shown.trial.trial !== t.trial) { render(shown); return; }
    document.body.dataset.trial = String(t.trial);
    setPhase('shown');
    if (t.mode === 'timed') startTimer(shown.trial.remainingMs);
  } catch (e) {
    fail(e, reload);
  }
}

async function reload() {
  try {
    render(await api('GET', '/api/state?token=' + encodeURIComponent(token)));
  } catch (e) {
    fail(e, reload);
  }
}

function startTimer(remainingMs) {
  deadline = performance.now() + remainingMs;
  $('countdown').hidden = false;
  tick();
  ticker = setInterval(tick, 50);
}

function stopTimer() {
  if (ticker !== null) clearInterval(ticker);
  ticker = null;
}

function tick() {
  const left = Math.max(0, deadline - performance.now());
  $('countdown').textContent = (left / 1000).toFixed(1) + ' s';
  $('countdown').classList.toggle('low', left < 1500);
  if (left <= 0) answer(null);
}

async function answer(side) {
  if (phase !== 'shown' || !current) return;
  setPhase('sending');
  stopTimer();
  const t = current;
  const send = async () => {
    try {
      const r = await api('POST', '/api/answer', { token, trial: t.trial, choice: side });
      render(r.state);
    } catch (e) {
      if (e.status === 409 || e.status === 404) { reload(); return; }
      fail(e, send);
    }
  };
  await send();
}

$('left').addEventListener('click', () => answer('left'));
$('right').addEventListener('click', () => answer('right'));
document.addEventListener('keydown', (e) => {
  if (e.repeat || e.altKey || e.ctrlKey || e.metaKey) return;
  const key = e.key.toLowerCase();
  if (key === 'arrowleft' || key === 'f') { e.preventDefault(); answer('left'); }
  if (key === 'arrowright' || key === 'j') { e.preventDefault(); answer('right'); }
});

start();
