// dme web page: upload, follow processing, mix/play/render/download stems. Vanilla JS, no build step.
// Every text that comes from the server or the user is written with textContent, never as HTML.
'use strict';

(() => {
  const STEMS = [
    { id: 'drums', trackId: 1, label: 'Drums' },
    { id: 'bass', trackId: 2, label: 'Bass' },
    { id: 'other', trackId: 3, label: 'Other' },
    { id: 'vocals', trackId: 4, label: 'Vocals' },
  ];
  const ACTIVE = new Set(['queued', 'separating', 'mixing']);
  const TOKEN_KEY = 'dme.token';
  const LIST_REFRESH_MS = 5000;
  const INFO_REFRESH_MS = 3000;
  const ACTIVE_POLL_MS = 1000;
  const IDLE_POLL_MS = 10000;

  const $ = (id) => document.getElementById(id);
  const songs = new Map(); // music_id -> entry
  let info = { max_upload_bytes: 0, max_upload_seconds: 0, write_token_required: false };
  let audioCtx = null;

  // ---------- small helpers ----------
  function fmtBytes(n) {
    if (!Number.isFinite(n) || n <= 0) return '0 B';
    const units = ['B', 'kB', 'MB', 'GB'];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return (i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)) + ' ' + units[i];
  }
  function fmtTime(s) {
    if (!Number.isFinite(s) || s < 0) s = 0;
    s = Math.round(s); // 29.99998 s is 0:30
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = Math.floor(s % 60);
    const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
    return (h > 0 ? h + ':' : '') + mm + ':' + String(sec).padStart(2, '0');
  }
  function fmtMs(ms) {
    return ms >= 1000 ? (ms / 1000).toFixed(ms >= 10000 ? 0 : 1) + ' s' : ms + ' ms';
  }
  function fmtClock(epochMs) {
    if (!epochMs) return '';
    return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }
  function hashHue(text) {
    let h = 0;
    for (const c of String(text)) h = (h * 31 + c.codePointAt(0)) >>> 0;
    return h % 360;
  }
  function role(root, name) { return root.querySelector('[data-role="' + name + '"]'); }
  function action(root, name) { return root.querySelector('[data-action="' + name + '"]'); }
  function setMessage(el, text, kind) {
    el.textContent = text || '';
    el.classList.toggle('error', kind === 'error');
    el.classList.toggle('ok', kind === 'ok');
    el.hidden = !text;
  }

  // ---------- API ----------
  function token() { return localStorage.getItem(TOKEN_KEY) || ''; }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  // A 401 opens the token dialog; once a token is saved the same request is sent again.
  async function api(method, url, body) {
    for (;;) {
      const headers = {};
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (method !== 'GET' && token()) headers['Authorization'] = 'Bearer ' + token();
      let res;
      try {
        res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      } catch (e) {
        throw new ApiError(0, 'The server cannot be reached.');
      }
      let data = null;
      try { data = await res.json(); } catch (e) { /* no JSON body */ }
      if (res.ok) return data;
      const msg = data && data.error ? data.error : 'HTTP ' + res.status;
      if (res.status === 401 && await askToken('This action needs an access token (' + msg + ').')) continue;
      throw new ApiError(res.status, msg);
    }
  }

  // ---------- token dialog ----------
  function updateTokenDot() { $('token-dot').classList.toggle('set', !!token()); }
  let tokenWaiter = null; // resolves with true when a token was saved, false when the dialog closed without one
  function openTokenDialog(explain) {
    const d = $('token-dialog');
    $('token-explain').textContent = explain ||
      'Processing, deleting and reset may need a bearer token. It is kept in this browser only.';
    $('token-input').value = token();
    if (!d.open) d.showModal();
    $('token-input').focus();
  }
  function askToken(explain) {
    $('token-button').hidden = false;
    openTokenDialog(explain);
    return new Promise((resolve) => { tokenWaiter = resolve; });
  }
  function settleToken(saved) {
    const w = tokenWaiter;
    tokenWaiter = null;
    if (w) w(saved);
  }
  function initTokenDialog() {
    $('token-button').addEventListener('click', () => openTokenDialog());
    $('token-form').addEventListener('submit', () => {
      const v = $('token-input').value.trim();
      if (v) localStorage.setItem(TOKEN_KEY, v); else localStorage.removeItem(TOKEN_KEY);
      updateTokenDot();
      settleToken(!!v);
    });
    $('token-cancel').addEventListener('click', () => { $('token-dialog').close(); settleToken(false); });
    $('token-dialog').addEventListener('close', () => settleToken(false));
    $('token-clear').addEventListener('click', () => {
      localStorage.removeItem(TOKEN_KEY);
      $('token-input').value = '';
      updateTokenDot();
      $('token-dialog').close();
      settleToken(false);
    });
    updateTokenDot();
  }

  // ---------- upload ----------
  function chosenFile() { const f = $('file-input').files; return f && f.length ? f[0] : null; }

  function onFileChosen() {
    const f = chosenFile();
    const zone = $('drop-zone');
    zone.classList.toggle('chosen', !!f);
    $('upload-button').disabled = !f;
    setMessage($('upload-message'), '');
    if (!f) { $('drop-text').textContent = 'Drop an audio file here or browse'; return; }
    $('drop-text').textContent = f.name + ' · ' + fmtBytes(f.size);
    if (info.max_upload_bytes && f.size > info.max_upload_bytes) {
      setMessage($('upload-message'), 'This file is ' + fmtBytes(f.size) + '; the limit is ' +
        fmtBytes(info.max_upload_bytes) + '.', 'error');
      $('upload-button').disabled = true;
    }
  }

  function initUpload() {
    const zone = $('drop-zone');
    const input = $('file-input');
    input.addEventListener('change', onFileChosen);
    ['dragenter', 'dragover'].forEach((t) => zone.addEventListener(t, (e) => {
      e.preventDefault(); zone.classList.add('dragging');
    }));
    ['dragleave', 'drop'].forEach((t) => zone.addEventListener(t, () => zone.classList.remove('dragging')));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        onFileChosen();
      }
    });
    $('upload-form').addEventListener('submit', (e) => { e.preventDefault(); upload(); });
  }

  function upload() {
    const file = chosenFile();
    if (!file) return;
    const form = new FormData();
    const name = $('upload-name').value.trim();
    const band = $('upload-band').value.trim();
    if (name) form.append('name', name);
    if (band) form.append('band', band);
    form.append('file', file, file.name);

    const xhr = new XMLHttpRequest();
    const wrap = $('upload-progress-wrap');
    const bar = $('upload-progress');
    const pct = $('upload-percent');
    const button = $('upload-button');
    button.disabled = true;
    wrap.hidden = false;
    wrap.classList.remove('settled');
    bar.classList.add('active');
    bar.classList.remove('failed', 'done');
    bar.style.width = '0%';
    pct.textContent = '0 %';
    setMessage($('upload-message'), 'Uploading ' + file.name + ' …');

    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      const p = Math.floor((e.loaded * 100) / e.total);
      bar.style.width = p + '%';
      pct.textContent = p + ' %';
      if (p >= 100) setMessage($('upload-message'), 'Checking the audio …');
    });
    xhr.addEventListener('load', () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      bar.classList.remove('active');
      if (xhr.status === 200 && data) {
        bar.classList.add('done');
        bar.style.width = '100%';
        pct.textContent = '100 %';
        $('upload-form').reset();
        onFileChosen();
        setMessage($('upload-message'), 'Added “' + data.name + '” by ' + data.band + '.', 'ok');
        addOrUpdateSong(data, true);
        updateListChrome();
        // Fades out but keeps its space: collapsing it would move the songs under the pointer.
        setTimeout(() => { if (bar.classList.contains('done')) wrap.classList.add('settled'); }, 2500);
      } else {
        bar.classList.add('failed');
        const reason = data && data.error ? data.error : 'the server answered HTTP ' + xhr.status;
        setMessage($('upload-message'), 'Upload refused: ' + reason, 'error');
        button.disabled = false;
      }
    });
    xhr.addEventListener('error', () => {
      bar.classList.remove('active');
      bar.classList.add('failed');
      setMessage($('upload-message'), 'Upload failed: the connection was closed (is the file larger than ' +
        fmtBytes(info.max_upload_bytes) + '?).', 'error');
      button.disabled = false;
    });
    xhr.open('POST', '/music');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.send(form);
  }

  // ---------- song list ----------
  async function refreshList() {
    try {
      const list = await api('GET', '/music');
      setMessage($('list-message'), '');
      const seen = new Set();
      for (const m of list) {
        seen.add(m.music_id);
        addOrUpdateSong(m, false);
      }
      for (const [id, entry] of songs) {
        if (!seen.has(id)) removeSong(entry);
      }
      updateListChrome();
    } catch (e) {
      setMessage($('list-message'), 'Cannot load the songs: ' + e.message, 'error');
    }
  }

  function updateListChrome() {
    $('empty-state').hidden = songs.size > 0;
    $('song-count').textContent = songs.size ? songs.size + (songs.size === 1 ? ' song' : ' songs') : '';
  }

  function addOrUpdateSong(music, first) {
    let entry = songs.get(music.music_id);
    if (!entry) {
      entry = createCard(music);
      songs.set(music.music_id, entry);
      const container = $('songs');
      // newest first
      const after = [...container.children].find((c) => Number(c.dataset.musicId) < music.music_id);
      container.insertBefore(entry.card, after || null);
      pollSong(entry);
    }
    entry.music = music;
    renderMusic(entry);
    if (first) entry.card.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }

  function removeSong(entry) {
    stopMix(entry);
    clearTimeout(entry.timer);
    entry.removed = true;
    entry.card.remove();
    songs.delete(entry.music.music_id);
  }

  function createCard(music) {
    const card = $('song-template').content.firstElementChild.cloneNode(true);
    card.dataset.musicId = String(music.music_id);
    const entry = {
      music, card, progress: null, timer: null, picksTouched: false, removed: false,
      mix: null, buffers: null, buffersKey: '', offset: 0, levels: {}, optionsTouched: false,
    };
    for (const cb of card.querySelectorAll('[data-role="pick"]')) {
      cb.addEventListener('change', () => { entry.picksTouched = true; renderProcessButton(entry); });
    }
    action(card, 'process').addEventListener('click', () => processSong(entry, { tracks: selectedTracks(entry) }));
    // a new song starts from the deployment's output format (dme.output.format), not the list's first
    const format = role(card, 'format');
    if ([...format.options].some((o) => o.value === info.output_format)) format.value = info.output_format;
    for (const name of ['mode', 'format', 'bitrate']) {
      role(card, name).addEventListener('change', () => { entry.optionsTouched = true; renderOptions(entry); });
    }
    action(card, 'delete').addEventListener('click', () => deleteSong(entry));
    action(card, 'cancel').addEventListener('click', () => cancelSong(entry));
    action(card, 'mix-play').addEventListener('click', () => playMix(entry));
    action(card, 'mix-stop').addEventListener('click', () => stopMix(entry, true));
    action(card, 'mix-render').addEventListener('click', () => renderMix(entry));
    role(card, 'mix-seek').addEventListener('change', (e) => seekMix(entry, Number(e.target.value) / 1000));
    initPractice(entry);
    role(card, 'jobs-details').addEventListener('toggle', (e) => { if (e.target.open) loadJobs(entry); });
    return entry;
  }

  function renderMusic(entry) {
    const m = entry.music;
    const card = entry.card;
    role(card, 'name').textContent = m.name;
    role(card, 'name').title = m.name;
    role(card, 'band').textContent = m.band;
    const bits = [fmtTime(m.duration_seconds), fmtBytes(m.size_bytes), '#' + m.music_id];
    role(card, 'meta').textContent = bits.join(' · ');
    const cover = role(card, 'cover');
    const hue = hashHue(m.name + '/' + m.band);
    cover.style.background = 'linear-gradient(135deg, hsl(' + hue + ' 72% 58%), hsl(' + ((hue + 50) % 360) + ' 70% 45%))';
    cover.textContent = (m.name || '?').trim().charAt(0).toUpperCase();
    const original = role(card, 'original-player');
    if (m.original && original.dataset.src !== m.original) {
      original.dataset.src = m.original;
      original.src = m.original;
    }
  }

  function selectedTracks(entry) {
    return [...entry.card.querySelectorAll('[data-role="pick"]')]
      .filter((cb) => cb.checked).map((cb) => Number(cb.dataset.trackId));
  }

  // ---------- progress ----------
  async function pollSong(entry) {
    clearTimeout(entry.timer);
    if (entry.removed) return;
    try {
      const p = await api('GET', '/music/' + entry.music.music_id);
      entry.progress = p;
      renderProgress(entry);
      if (role(entry.card, 'jobs-details').open) loadJobs(entry);
    } catch (e) {
      if (e.status === 404) { removeSong(entry); updateListChrome(); return; }
    }
    if (entry.removed) return;
    const active = entry.progress && ACTIVE.has(entry.progress.state);
    entry.timer = setTimeout(() => pollSong(entry), active ? ACTIVE_POLL_MS : IDLE_POLL_MS);
  }

  function stateLabel(p) {
    switch (p.state) {
      case 'idle': return 'New';
      case 'queued': return 'Queued';
      case 'separating': return 'Separating';
      case 'mixing': return 'Mixing';
      case 'done': return 'Ready';
      case 'failed': return 'Failed';
      case 'cancelled': return 'Cancelled';
      default: return p.state || '';
    }
  }

  function renderProgress(entry) {
    const p = entry.progress;
    const card = entry.card;
    card.dataset.state = p.state;
    const badge = role(card, 'state');
    badge.textContent = stateLabel(p);
    badge.className = 'badge ' + p.state;

    const row = role(card, 'progress-row');
    const fill = role(card, 'progress-fill');
    row.hidden = p.state === 'idle';
    fill.style.width = p.progress + '%';
    fill.classList.toggle('active', ACTIVE.has(p.state));
    fill.classList.toggle('failed', p.state === 'failed');
    fill.classList.toggle('done', p.state === 'done');
    let text = p.progress + ' %';
    role(card, 'progress-text').textContent = text;
    row.title = p.total_chunks ? p.chunks_done + ' of ' + p.total_chunks + ' chunks separated' : '';

    renderWaiting(entry);
    const err = role(card, 'error');
    if (p.state === 'failed') setMessage(err, 'Processing failed: ' + (p.error || 'unknown error'), 'error');
    else if (!entry.localError) setMessage(err, '');

    if (!entry.picksTouched && p.tracks && p.tracks.length) {
      for (const cb of card.querySelectorAll('[data-role="pick"]')) {
        cb.checked = p.tracks.includes(Number(cb.dataset.trackId));
      }
    }
    if (!entry.optionsTouched && p.request_seq > 0) {
      role(card, 'mode').value = p.two_stems || '';
      role(card, 'format').value = p.format || info.output_format || 'wav';
      if (p.bitrate) role(card, 'bitrate').value = String(p.bitrate);
    }
    renderOptions(entry);
    renderAnalysis(entry);
    renderProcessButton(entry);
    renderStems(entry);
    renderFinal(entry);
  }

  // Why a queued song waits, its place and the job's estimate; for running songs the estimate only.
  function renderWaiting(entry) {
    const p = entry.progress;
    const el = role(entry.card, 'waiting');
    const bits = [];
    if (ACTIVE.has(p.state)) {
      if (p.queue_position) bits.push('#' + p.queue_position + ' in the queue');
      if (p.waiting_for) bits.push(p.waiting_for);
      if (p.eta_seconds != null) bits.push('about ' + fmtTime(Math.max(1, p.eta_seconds)) + ' left');
    }
    el.textContent = bits.join(' · ');
    el.hidden = bits.length === 0;
    action(entry.card, 'cancel').hidden = !ACTIVE.has(p.state);
  }

  // ---------- practice: tempo and key, speed, transposition, A-B loop ----------
  function renderAnalysis(entry) {
    const p = entry.progress;
    const bits = [];
    if (typeof p.tempo_bpm === 'number' && isFinite(p.tempo_bpm)) bits.push(Math.round(p.tempo_bpm) + ' BPM');
    if (typeof p.key === 'string' && p.key) bits.push(p.key);
    const el = role(entry.card, 'analysis');
    // The line keeps its place while empty: tempo and key arrive after "done", and a line appearing
    // then would shift the mixer under the user's pointer.
    el.textContent = bits.join(' · ');
  }

  function initPractice(entry) {
    entry.speed = 1;
    entry.transpose = 0;
    entry.loop = { a: null, b: null };
    const card = entry.card;
    role(card, 'speed').addEventListener('input', (e) => {
      entry.speed = Number(e.target.value) / 100;
      role(card, 'speed-text').textContent = e.target.value + ' %';
      applyPractice(entry);
    });
    role(card, 'transpose').addEventListener('input', (e) => {
      entry.transpose = Number(e.target.value);
      role(card, 'transpose-text').textContent = (entry.transpose > 0 ? '+' : '') + entry.transpose + ' st';
      applyPractice(entry);
    });
    action(card, 'loop-a').addEventListener('click', () => { entry.loop.a = position(entry); renderLoop(entry); });
    action(card, 'loop-b').addEventListener('click', () => { entry.loop.b = position(entry); renderLoop(entry); });
    action(card, 'loop-clear').addEventListener('click', () => { entry.loop = { a: null, b: null }; renderLoop(entry); });
  }

  /** Playback speed of the preview: the speed times the transposition's rate (Web Audio ties them). */
  function previewRate(entry) { return entry.speed * Math.pow(2, entry.transpose / 12); }

  function loopRange(entry) {
    const l = entry.loop;
    return l && l.a !== null && l.b !== null && l.b > l.a + 0.05 ? l : null;
  }

  /** Where the preview is now (seconds of the song). */
  function position(entry) {
    const mix = entry.mix;
    if (!mix) return entry.offset || 0;
    let pos = mix.offset + Math.max(0, audioCtx.currentTime - mix.when) * mix.rate;
    const l = mix.loop;
    if (l && pos >= l.b) pos = l.a + ((pos - l.a) % (l.b - l.a));
    return Math.min(mix.duration, pos);
  }

  function renderLoop(entry) {
    const l = loopRange(entry);
    const a = entry.loop.a;
    role(entry.card, 'loop-text').textContent = l ? 'Loop ' + fmtTime(l.a) + ' – ' + fmtTime(l.b)
      : (a !== null ? 'A at ' + fmtTime(a) : '');
    entry.card.dataset.loop = l ? l.a.toFixed(2) + '-' + l.b.toFixed(2) : '';
    // A new loop starts again at A; without one the preview goes on from where it is.
    if (entry.mix && l) playMix(entry);
    else if (entry.mix) applyPractice(entry);
  }

  /** Applies speed, transposition and loop to the playing preview, keeping its place. */
  function applyPractice(entry) {
    const mix = entry.mix;
    if (!mix) return;
    const now = audioCtx.currentTime;
    mix.offset = position(entry);
    mix.when = now;
    mix.rate = previewRate(entry);
    mix.loop = loopRange(entry);
    for (const n of mix.nodes) setPractice(entry, n.src, mix.loop);
    entry.card.dataset.previewRate = String(mix.nodes[0].src.playbackRate.value);
    entry.card.dataset.previewDetune = String(mix.nodes[0].src.detune.value);
  }

  function setPractice(entry, src, loop) {
    src.playbackRate.value = entry.speed;
    src.detune.value = entry.transpose * 100;
    src.loop = !!loop;
    if (loop) { src.loopStart = loop.a; src.loopEnd = loop.b; }
  }


  // Before the stems exist the picks choose the first mix; afterwards the mixer does.
  function renderProcessButton(entry) {
    const p = entry.progress;
    const button = action(entry.card, 'process');
    const busy = p && ACTIVE.has(p.state);
    const haveStems = !!(p && p.instruments && p.instruments.length);
    role(entry.card, 'picks').hidden = haveStems;
    button.hidden = haveStems;
    const n = selectedTracks(entry).length;
    button.disabled = busy || n === 0;
    button.textContent = busy ? 'Working …' : 'Separate & mix ' + n + (n === 1 ? ' stem' : ' stems');
    const render = action(entry.card, 'mix-render');
    render.disabled = !!busy;
    render.textContent = busy ? 'Working …' : 'Render this mix';
  }

  function renderOptions(entry) {
    role(entry.card, 'bitrate-field').hidden = role(entry.card, 'format').value !== 'mp3';
  }

  // The output options chosen in the card, as the process body takes them.
  function outputOptions(entry) {
    const format = role(entry.card, 'format').value;
    const out = { format };
    if (format === 'mp3') out.bitrate = Number(role(entry.card, 'bitrate').value);
    const mode = role(entry.card, 'mode').value;
    if (mode) out.two_stems = mode;
    return out;
  }

  // The track ids a mixer row stands for: a stem's own, or for two-stem mode's no_<stem> all the others.
  function rowTracks(name) {
    if (name.startsWith('no_')) return STEMS.filter((s) => s.id !== name.slice(3)).map((s) => s.trackId);
    const stem = STEMS.find((s) => s.id === name);
    return stem ? [stem.trackId] : [];
  }

  function rowLabel(name) {
    if (name.startsWith('no_')) return name === 'no_vocals' ? 'Karaoke' : 'No ' + name.slice(3);
    const stem = STEMS.find((s) => s.id === name);
    return stem ? stem.label : name;
  }

  // The mixer starts from the latest request: selected rows at their gains, the others muted.
  function levelsFromSelection(p, instruments) {
    const tracks = p.tracks || [];
    const gainsByTrack = p.gains || {};
    const levels = {};
    for (const inst of instruments) {
      const ids = rowTracks(inst.name);
      const on = ids.length > 0 && ids.every((t) => tracks.includes(t));
      const g = ids.length ? (gainsByTrack[String(ids[0])] ?? 1) : 1;
      levels[inst.name] = { level: on ? Math.round(g * 100) : 100, mute: !on && tracks.length > 0, solo: false };
    }
    return levels;
  }

  function renderStems(entry) {
    const p = entry.progress;
    const box = role(entry.card, 'stems');
    const rows = role(entry.card, 'stem-rows');
    const instruments = p.instruments || [];
    box.hidden = instruments.length === 0;
    const key = instruments.map((i) => i.track).join('|');
    if (rows.dataset.key === key) return;
    rows.dataset.key = key;
    stopMix(entry);
    entry.buffers = null;
    entry.levels = levelsFromSelection(p, instruments);
    rows.replaceChildren();
    for (const inst of instruments) {
      const row = $('stem-template').content.firstElementChild.cloneNode(true);
      row.dataset.stem = inst.name.replace(/^no_/, '');
      row.dataset.row = inst.name;
      role(row, 'stem-name').textContent = rowLabel(inst.name);
      const link = role(row, 'download');
      link.dataset.stem = inst.name;
      link.href = inst.track + (inst.track.includes('?') ? '&' : '?') + 'download=1';
      link.setAttribute('download', '');
      const gain = role(row, 'gain');
      gain.dataset.stem = inst.name;
      gain.addEventListener('input', () => { entry.levels[inst.name].level = Number(gain.value); applyLevels(entry); });
      for (const t of ['mute', 'solo']) {
        const b = role(row, t);
        b.dataset.stem = inst.name;
        b.addEventListener('click', () => {
          entry.levels[inst.name][t] = !entry.levels[inst.name][t];
          applyLevels(entry);
        });
      }
      rows.appendChild(row);
    }
    applyLevels(entry);
  }

  // What each row contributes: level × (audible), where solo wins over mute as on a mixing desk.
  function effectiveGains(entry) {
    const levels = entry.levels;
    const anySolo = Object.values(levels).some((l) => l.solo);
    const out = {};
    for (const [name, l] of Object.entries(levels)) {
      const audible = anySolo ? l.solo : !l.mute;
      out[name] = audible ? l.level / 100 : 0;
    }
    return out;
  }

  function applyLevels(entry) {
    const g = effectiveGains(entry);
    for (const row of role(entry.card, 'stem-rows').children) {
      const name = row.dataset.row;
      const l = entry.levels[name];
      role(row, 'gain').value = String(l.level);
      role(row, 'gain-value').textContent = l.level + ' %';
      role(row, 'mute').setAttribute('aria-pressed', String(l.mute));
      role(row, 'solo').setAttribute('aria-pressed', String(l.solo));
      row.classList.toggle('muted-stem', g[name] === 0);
      row.dataset.gain = String(g[name]);
    }
    if (entry.mix) {
      for (const n of entry.mix.nodes) n.gain.gain.setTargetAtTime(g[n.stem] ?? 0, audioCtx.currentTime, 0.015);
    }
  }

  function renderFinal(entry) {
    const p = entry.progress;
    const box = role(entry.card, 'final');
    box.hidden = !p.final;
    if (!p.final) return;
    const player = role(entry.card, 'final-player');
    if (player.dataset.src !== p.final) {
      player.dataset.src = p.final;
      player.src = p.final;
    }
    const link = role(entry.card, 'final-download');
    link.href = p.final + (p.final.includes('?') ? '&' : '?') + 'download=1';
    const archive = role(entry.card, 'archive');
    archive.hidden = !p.archive;
    if (p.archive) archive.href = p.archive;
    const names = (p.tracks || []).map((t) => {
      const label = (STEMS.find((s) => s.trackId === t) || { label: t }).label;
      const g = p.gains && p.gains[String(t)];
      return g === undefined ? label : label + ' ' + Math.round(g * 100) + ' %';
    });
    role(entry.card, 'final-tracks').textContent = names.length ? '· ' + names.join(' + ') : '';
  }

  // ---------- actions ----------
  // Sends {tracks, gains} with the card's output options; the job renders exactly that.
  async function processSong(entry, mix) {
    if (!mix.tracks.length) return;
    const err = role(entry.card, 'error');
    try {
      action(entry.card, 'process').disabled = true;
      action(entry.card, 'mix-render').disabled = true;
      await api('POST', '/music/' + entry.music.music_id, Object.assign({}, mix, outputOptions(entry)));
      entry.optionsTouched = false;
      entry.localError = false;
      setMessage(err, '');
      entry.picksTouched = false;
      pollSong(entry);
    } catch (e) {
      entry.localError = true;
      setMessage(err, 'Cannot start processing: ' + e.message, 'error');
      renderProcessButton(entry);
    }
  }

  async function deleteSong(entry) {
    if (!confirm('Delete “' + entry.music.name + '” and all its stems?')) return;
    try {
      await api('DELETE', '/music/' + entry.music.music_id);
      removeSong(entry);
      updateListChrome();
    } catch (e) {
      entry.localError = true;
      setMessage(role(entry.card, 'error'), 'Cannot delete: ' + e.message, 'error');
    }
  }

  async function cancelSong(entry) {
    const button = action(entry.card, 'cancel');
    button.disabled = true;
    try {
      await api('POST', '/music/' + entry.music.music_id + '/cancel');
      entry.localError = false;
      pollSong(entry);
    } catch (e) {
      entry.localError = true;
      setMessage(role(entry.card, 'error'), 'Cannot cancel: ' + e.message, 'error');
    } finally {
      button.disabled = false;
    }
  }

  async function resetAll() {
    if (!confirm('Remove every song, stem and job? This cannot be undone.')) return;
    try {
      await api('POST', '/reset');
      for (const entry of [...songs.values()]) removeSong(entry);
      updateListChrome();
    } catch (e) {
      setMessage($('list-message'), 'Reset refused: ' + e.message, 'error');
    }
  }

  // ---------- jobs ----------
  async function loadJobs(entry) {
    try {
      const jobs = await api('GET', '/music/' + entry.music.music_id + '/jobs');
      const tbody = role(entry.card, 'jobs').tBodies[0];
      tbody.replaceChildren();
      if (!jobs.length) {
        const tr = document.createElement('tr');
        const td = document.createElement('td');
        td.colSpan = 7;
        td.className = 'empty-row';
        td.textContent = 'No chunk has been separated yet.';
        tr.appendChild(td);
        tbody.appendChild(tr);
      }
      let total = 0;
      const executors = new Set();
      for (const j of jobs) {
        total += j.time_ms;
        executors.add(j.executor);
        const tr = document.createElement('tr');
        tr.dataset.jobId = String(j.job_id);
        const cells = [
          '#' + j.chunk + ' · ' + fmtTime(j.offset_seconds),
          fmtClock(j.start),
          fmtBytes(j.size),
          fmtMs(j.time_ms),
          j.executor || '',
          j.host || '',
          String(j.attempt),
        ];
        for (const c of cells) {
          const td = document.createElement('td');
          td.textContent = c;
          tr.appendChild(td);
        }
        tbody.appendChild(tr);
      }
      drawGantt(role(entry.card, 'gantt'), jobs);
      drawHistogram(role(entry.card, 'hist'), jobs);
      role(entry.card, 'gantt-figure').hidden = jobs.length === 0;
      role(entry.card, 'hist-figure').hidden = jobs.length === 0;
      role(entry.card, 'jobs-summary').textContent = jobs.length
        ? '· ' + jobs.length + ' chunks · ' + fmtMs(total) + ' of compute on ' + executors.size +
          (executors.size === 1 ? ' executor' : ' executors')
        : '';
    } catch (e) {
      role(entry.card, 'jobs-summary').textContent = '· ' + e.message;
    }
  }

  // ---------- in-browser mixer (Web Audio): every stem from one start time, gains from the mixer rows ----------
  async function loadBuffers(entry) {
    const instruments = entry.progress.instruments;
    const key = instruments.map((i) => i.track).join('|');
    if (entry.buffers && entry.buffersKey === key) return entry.buffers;
    const button = action(entry.card, 'mix-play');
    button.disabled = true;
    button.textContent = 'Loading …';
    try {
      entry.buffers = await Promise.all(instruments.map(async (inst) => {
        const res = await fetch(inst.track);
        if (!res.ok) throw new Error('cannot load ' + inst.name + ' (HTTP ' + res.status + ')');
        const data = await res.arrayBuffer();
        return { stem: inst.name, buffer: await audioCtx.decodeAudioData(data) };
      }));
      entry.buffersKey = key;
      return entry.buffers;
    } finally {
      button.disabled = false;
      button.textContent = 'Play';
    }
  }

  async function playMix(entry) {
    if (!entry.progress || !entry.progress.instruments.length) return;
    try {
      audioCtx = audioCtx || new (window.AudioContext || window.webkitAudioContext)();
      await audioCtx.resume();
      const buffers = await loadBuffers(entry);
      stopMix(entry, false);
      for (const a of entry.card.querySelectorAll('audio')) a.pause();
      const g = effectiveGains(entry);
      const duration = Math.max(...buffers.map((b) => b.buffer.duration));
      const loop = loopRange(entry);
      let offset = entry.offset >= duration ? 0 : entry.offset;
      if (loop && (offset < loop.a || offset >= loop.b)) offset = loop.a;
      const when = audioCtx.currentTime + 0.12; // one start time for all stems: sample-synchronous
      const nodes = buffers.map((b) => {
        const src = audioCtx.createBufferSource();
        src.buffer = b.buffer;
        setPractice(entry, src, loop);
        const gain = audioCtx.createGain();
        gain.gain.value = g[b.stem] ?? 1;
        src.connect(gain).connect(audioCtx.destination);
        src.start(when, Math.min(offset, b.buffer.duration));
        return { stem: b.stem, src, gain };
      });
      const mix = { nodes, when, offset, duration, raf: 0, rate: previewRate(entry), loop };
      entry.mix = mix;
      entry.card.dataset.previewRate = String(nodes[0].src.playbackRate.value);
      entry.card.dataset.previewDetune = String(nodes[0].src.detune.value);
      nodes[0].src.onended = () => { if (entry.mix === mix) stopMix(entry, true); };
      action(entry.card, 'mix-stop').disabled = false;
      action(entry.card, 'mix-play').textContent = 'Restart';
      entry.card.dataset.mixing = 'playing';
      const tick = () => {
        if (entry.mix !== mix) return;
        const pos = position(entry);
        entry.offset = pos;
        role(entry.card, 'mix-time').textContent = fmtTime(pos) + ' / ' + fmtTime(duration);
        role(entry.card, 'mix-seek').value = String(Math.round((pos / duration) * 1000));
        mix.raf = requestAnimationFrame(tick);
      };
      tick();
    } catch (e) {
      entry.localError = true;
      setMessage(role(entry.card, 'error'), 'Cannot play the stems together: ' + e.message, 'error');
    }
  }

  function stopMix(entry, rewind) {
    const mix = entry.mix;
    if (mix) {
      entry.mix = null;
      cancelAnimationFrame(mix.raf);
      for (const n of mix.nodes) {
        try { n.src.onended = null; n.src.stop(); } catch (e) { /* already stopped */ }
        n.src.disconnect();
        n.gain.disconnect();
      }
    }
    if (rewind) {
      entry.offset = 0;
      role(entry.card, 'mix-seek').value = '0';
      role(entry.card, 'mix-time').textContent = '0:00';
    }
    const stop = action(entry.card, 'mix-stop');
    if (stop) stop.disabled = true;
    const play = action(entry.card, 'mix-play');
    if (play && play.textContent === 'Restart') play.textContent = 'Play';
    delete entry.card.dataset.mixing;
  }

  function seekMix(entry, fraction) {
    const duration = entry.buffers ? Math.max(...entry.buffers.map((b) => b.buffer.duration)) : 0;
    entry.offset = duration * fraction;
    if (entry.mix) playMix(entry);
    else role(entry.card, 'mix-time').textContent = fmtTime(entry.offset) + (duration ? ' / ' + fmtTime(duration) : '');
  }

  // The mixer's rows as a request: the tracks that are audible, each at its row's gain.
  function mixRequest(entry) {
    const g = effectiveGains(entry);
    const gainByTrack = new Map();
    for (const [name, gain] of Object.entries(g)) {
      if (gain <= 0) continue;
      for (const t of rowTracks(name)) gainByTrack.set(t, gain);
    }
    const tracks = [...gainByTrack.keys()].sort((a, b) => a - b);
    const gains = {};
    for (const [t, gain] of gainByTrack) if (gain !== 1) gains[String(t)] = gain;
    return { tracks, gains };
  }

  function renderMix(entry) {
    const mix = mixRequest(entry);
    if (!mix.tracks.length) {
      entry.localError = true;
      setMessage(role(entry.card, 'error'), 'Turn at least one stem up to render a mix.', 'error');
      return;
    }
    processSong(entry, Object.assign(mix, practiceOptions(entry)));
  }

  // The practice controls as render options of the server's file (tempo and key kept apart there).
  function practiceOptions(entry) {
    const o = {};
    if (entry.speed && entry.speed !== 1) o.tempo = entry.speed;
    if (entry.transpose) o.transpose = entry.transpose;
    if (role(entry.card, 'click').checked) o.click = true;
    return o;
  }

  // ---------- charts (SVG from the jobs JSON, coloured by the page's theme) ----------
  const SVG_NS = 'http://www.w3.org/2000/svg';
  function svgEl(name, attrs, text) {
    const el = document.createElementNS(SVG_NS, name);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // Round tick steps (1, 2, 5 × 10^k) so the axis reads 0, 50, 100 ms, not 21, 62, 103.
  function niceStep(range, count) {
    const raw = Math.max(range, 1e-9) / Math.max(count, 1);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }

  function drawGantt(box, jobs) {
    box.replaceChildren();
    if (!jobs.length) return;
    const executors = [...new Set(jobs.map((j) => j.executor || '?'))].sort();
    const t0 = Math.min(...jobs.map((j) => j.start));
    const t1 = Math.max(...jobs.map((j) => j.end));
    const W = 640, left = 90, right = 24, top = 8, rowH = 22, axisH = 26;
    const H = top + executors.length * rowH + axisH;
    const span = Math.max(1, t1 - t0);
    const x = (t) => left + ((t - t0) / span) * (W - left - right);
    const svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Chunks per executor over time', 'data-chart': 'gantt' });
    const step = niceStep(span / 1000, 6);
    for (let s = 0; s <= span / 1000 + 1e-9; s += step) {
      const xx = x(t0 + s * 1000);
      svg.appendChild(svgEl('line', { class: 'grid', x1: xx, x2: xx, y1: top, y2: H - axisH + 4 }));
      svg.appendChild(svgEl('text', { x: xx, y: H - 8, 'text-anchor': 'middle' }, fmtSeconds(s)));
    }
    executors.forEach((e, i) => {
      svg.appendChild(svgEl('text', { x: left - 8, y: top + i * rowH + rowH / 2 + 4, 'text-anchor': 'end' }, e));
    });
    for (const j of jobs) {
      const i = executors.indexOf(j.executor || '?');
      const bar = svgEl('rect', {
        class: 'bar' + (j.attempt > 0 ? ' retry' : ''), x: x(j.start), y: top + i * rowH + 3,
        width: Math.max(1.5, x(j.end) - x(j.start)), height: rowH - 6, rx: 3,
      });
      bar.appendChild(svgEl('title', {}, 'chunk ' + j.chunk + ' · ' + fmtMs(j.time_ms) + (j.attempt > 0 ? ' · retry ' + j.attempt : '')));
      svg.appendChild(bar);
    }
    box.appendChild(svg);
  }

  function fmtSeconds(s) {
    return (Math.round(s * 1000) / 1000) + ' s';
  }

  function drawHistogram(box, jobs) {
    box.replaceChildren();
    if (!jobs.length) return;
    const times = jobs.map((j) => j.time_ms);
    const max = Math.max(...times);
    const width = Math.max(1, niceStep(max, 10)); // whole milliseconds
    const bins = Math.max(1, Math.ceil((max + 1e-9) / width) + (max % width === 0 ? 1 : 0));
    const counts = new Array(bins).fill(0);
    for (const t of times) counts[Math.min(bins - 1, Math.floor(t / width))]++;
    const top = Math.max(...counts);
    const W = 640, left = 40, right = 28, topPad = 8, H = 150, axisH = 26;
    const plotH = H - topPad - axisH;
    const bw = (W - left - right) / bins;
    const svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Chunk processing times', 'data-chart': 'histogram' });
    const cstep = Math.max(1, niceStep(top, 4));
    for (let c = 0; c <= top; c += cstep) {
      const y = topPad + plotH - (c / top) * plotH;
      svg.appendChild(svgEl('line', { class: 'grid', x1: left, x2: W - right, y1: y, y2: y }));
      svg.appendChild(svgEl('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, String(c)));
    }
    counts.forEach((c, i) => {
      const h = (c / top) * plotH;
      const r = svgEl('rect', { class: 'hbar', x: left + i * bw + 1, y: topPad + plotH - h, width: Math.max(1, bw - 2), height: h });
      r.appendChild(svgEl('title', {}, fmtMs(i * width) + '–' + fmtMs((i + 1) * width) + ': ' + c));
      svg.appendChild(r);
    });
    const labelEvery = Math.ceil(bins / 8);
    for (let i = 0; i <= bins; i += labelEvery) {
      svg.appendChild(svgEl('text', { x: left + i * bw, y: H - 8, 'text-anchor': 'middle' }, fmtMs(i * width)));
    }
    box.appendChild(svg);
  }

  // ---------- start ----------
  async function loadInfo() {
    try {
      info = await api('GET', '/info');
      $('token-button').hidden = !(info.write_token_required || info.admin_token_required);
      const hint = 'Up to ' + fmtBytes(info.max_upload_bytes) + ' and ' +
        fmtTime(info.max_upload_seconds) + ' · any format FFmpeg reads';
      $('limits-hint').textContent = hint;
      renderJobBanner();
    } catch (e) { /* keep the generic hint */ }
  }

  // A clear word when separation is down: uploads still work, processing waits for the job.
  function renderJobBanner() {
    const banner = $('job-banner');
    const down = info.job_alive === false;
    banner.hidden = !down;
    if (down) {
      banner.textContent = 'Separation is not running' +
        (info.job_heartbeat_age_s != null ? ' (no sign of life for ' + fmtTime(info.job_heartbeat_age_s) + ')' : '') +
        '. Uploads are kept; queued songs start when it is back.';
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    initTokenDialog();
    initUpload();
    $('reset-button').addEventListener('click', resetAll);
    setInterval(loadInfo, INFO_REFRESH_MS);
    // the cards take their defaults (the output format) from /info, so the list waits for it once
    loadInfo().finally(() => {
      refreshList();
      setInterval(refreshList, LIST_REFRESH_MS);
    });
  });
})();
