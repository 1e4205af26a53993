// dme web page: upload, follow processing, play/mix/download stems. Vanilla JS, no build step.
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

  async function api(method, url, body) {
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
    if (!res.ok) {
      const msg = data && data.error ? data.error : 'HTTP ' + res.status;
      if (res.status === 401) openTokenDialog('This action needs a valid access token. ' + msg);
      throw new ApiError(res.status, msg);
    }
    return data;
  }

  // ---------- token dialog ----------
  function updateTokenDot() { $('token-dot').classList.toggle('set', !!token()); }
  function openTokenDialog(explain) {
    const d = $('token-dialog');
    $('token-explain').textContent = explain ||
      'Processing, deleting and reset may need a bearer token. It is kept in this browser only.';
    $('token-input').value = token();
    if (!d.open) d.showModal();
    $('token-input').focus();
  }
  function initTokenDialog() {
    $('token-button').addEventListener('click', () => openTokenDialog());
    $('token-form').addEventListener('submit', () => {
      const v = $('token-input').value.trim();
      if (v) localStorage.setItem(TOKEN_KEY, v); else localStorage.removeItem(TOKEN_KEY);
      updateTokenDot();
    });
    $('token-cancel').addEventListener('click', () => $('token-dialog').close());
    $('token-clear').addEventListener('click', () => {
      localStorage.removeItem(TOKEN_KEY);
      $('token-input').value = '';
      updateTokenDot();
      $('token-dialog').close();
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
        setTimeout(() => { if (bar.classList.contains('done')) wrap.hidden = true; }, 2500);
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
      mix: null, buffers: null, buffersKey: '', offset: 0,
    };
    for (const cb of card.querySelectorAll('[data-role="pick"]')) {
      cb.addEventListener('change', () => { entry.picksTouched = true; renderProcessButton(entry); });
    }
    action(card, 'process').addEventListener('click', () => processSong(entry, selectedTracks(entry)));
    action(card, 'delete').addEventListener('click', () => deleteSong(entry));
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

    const err = role(card, 'error');
    if (p.state === 'failed') setMessage(err, 'Processing failed: ' + (p.error || 'unknown error'), 'error');
    else if (!entry.localError) setMessage(err, '');

    if (!entry.picksTouched && p.tracks && p.tracks.length) {
      for (const cb of card.querySelectorAll('[data-role="pick"]')) {
        cb.checked = p.tracks.includes(Number(cb.dataset.trackId));
      }
    }
    renderAnalysis(entry);
    renderProcessButton(entry);
    renderStems(entry);
    renderFinal(entry);
  }

  // ---------- practice: tempo and key, speed, transposition, A-B loop ----------
  function renderAnalysis(entry) {
    const p = entry.progress;
    const bits = [];
    if (typeof p.tempo_bpm === 'number' && isFinite(p.tempo_bpm)) bits.push(Math.round(p.tempo_bpm) + ' BPM');
    if (typeof p.key === 'string' && p.key) bits.push(p.key);
    const el = role(entry.card, 'analysis');
    el.textContent = bits.join(' · ');
    el.hidden = !bits.length;
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

  function renderProcessButton(entry) {
    const p = entry.progress;
    const button = action(entry.card, 'process');
    const busy = p && ACTIVE.has(p.state);
    const haveStems = p && p.instruments && p.instruments.length === STEMS.length;
    const n = selectedTracks(entry).length;
    button.disabled = busy || n === 0;
    button.textContent = busy ? 'Working …' : (haveStems ? 'Mix ' : 'Separate & mix ') + n + (n === 1 ? ' stem' : ' stems');
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
    rows.replaceChildren();
    for (const inst of instruments) {
      const row = $('stem-template').content.firstElementChild.cloneNode(true);
      const stem = STEMS.find((s) => s.id === inst.name);
      row.dataset.stem = inst.name;
      role(row, 'stem-name').textContent = stem ? stem.label : inst.name;
      const player = role(row, 'player');
      player.dataset.stem = inst.name;
      player.src = inst.track;
      player.addEventListener('play', () => stopMix(entry, false));
      const link = role(row, 'download');
      link.dataset.stem = inst.name;
      link.href = inst.track + (inst.track.includes('?') ? '&' : '?') + 'download=1';
      link.setAttribute('download', '');
      const gain = role(row, 'gain');
      gain.dataset.stem = inst.name;
      gain.addEventListener('input', () => onGain(entry, row, gain));
      rows.appendChild(row);
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
    const names = (p.tracks || []).map((t) => (STEMS.find((s) => s.trackId === t) || { label: t }).label);
    role(entry.card, 'final-tracks').textContent = names.length ? '· ' + names.join(' + ') : '';
  }

  // ---------- actions ----------
  async function processSong(entry, tracks) {
    if (!tracks.length) return;
    const err = role(entry.card, 'error');
    try {
      action(entry.card, 'process').disabled = true;
      await api('POST', '/music/' + entry.music.music_id, tracks);
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
        total += j.time;
        executors.add(j.executor);
        const tr = document.createElement('tr');
        tr.dataset.jobId = String(j.job_id);
        const cells = [
          '#' + j.chunk + ' · ' + fmtTime(j.offset_seconds),
          fmtClock(j.start),
          fmtBytes(j.size),
          fmtMs(j.time),
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
      const figure = role(entry.card, 'gantt-figure');
      const img = role(entry.card, 'gantt');
      img.onload = () => { figure.hidden = false; };
      img.onerror = () => { figure.hidden = true; };
      if (jobs.length) img.src = '/stats/gantt-' + entry.music.music_id + '.png?v=' + jobs.length + '-' + Date.now();
      const histFigure = role(entry.card, 'hist-figure');
      const hist = role(entry.card, 'hist');
      hist.onload = () => { histFigure.hidden = false; };
      hist.onerror = () => { histFigure.hidden = true; };
      if (jobs.length) hist.src = '/stats/chunk-times.png?v=' + jobs.length + '-' + Date.now();
      role(entry.card, 'jobs-summary').textContent = jobs.length
        ? '· ' + jobs.length + ' chunks · ' + fmtMs(total) + ' of compute on ' + executors.size +
          (executors.size === 1 ? ' executor' : ' executors')
        : '';
    } catch (e) {
      role(entry.card, 'jobs-summary').textContent = '· ' + e.message;
    }
  }

  // ---------- in-browser mixer (Web Audio) ----------
  function gains(entry) {
    const out = {};
    for (const g of entry.card.querySelectorAll('[data-role="gain"]')) out[g.dataset.stem] = Number(g.value) / 100;
    return out;
  }

  function onGain(entry, row, input) {
    const v = Number(input.value) / 100;
    role(row, 'gain-value').textContent = input.value + ' %';
    row.classList.toggle('muted-stem', v === 0);
    if (entry.mix) {
      const node = entry.mix.nodes.find((n) => n.stem === input.dataset.stem);
      if (node) node.gain.gain.setTargetAtTime(v, audioCtx.currentTime, 0.015);
    }
  }

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
      button.textContent = 'Play together';
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
      const g = gains(entry);
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
    if (play && play.textContent === 'Restart') play.textContent = 'Play together';
    delete entry.card.dataset.mixing;
  }

  function seekMix(entry, fraction) {
    const duration = entry.buffers ? Math.max(...entry.buffers.map((b) => b.buffer.duration)) : 0;
    entry.offset = duration * fraction;
    if (entry.mix) playMix(entry);
    else role(entry.card, 'mix-time').textContent = fmtTime(entry.offset) + (duration ? ' / ' + fmtTime(duration) : '');
  }

  function renderMix(entry) {
    const g = gains(entry);
    const tracks = STEMS.filter((s) => (g[s.id] ?? 0) > 0).map((s) => s.trackId);
    if (!tracks.length) {
      entry.localError = true;
      setMessage(role(entry.card, 'error'), 'Turn at least one stem up to render a mix.', 'error');
      return;
    }
    for (const cb of entry.card.querySelectorAll('[data-role="pick"]')) {
      cb.checked = tracks.includes(Number(cb.dataset.trackId));
    }
    processSong(entry, tracks);
  }

  // ---------- start ----------
  async function loadInfo() {
    try {
      info = await api('GET', '/info');
      const hint = 'Up to ' + fmtBytes(info.max_upload_bytes) + ' and ' +
        fmtTime(info.max_upload_seconds) + ' · any format FFmpeg reads';
      $('limits-hint').textContent = hint;
    } catch (e) { /* keep the generic hint */ }
  }

  document.addEventListener('DOMContentLoaded', () => {
    initTokenDialog();
    initUpload();
    $('reset-button').addEventListener('click', resetAll);
    loadInfo();
    refreshList();
    setInterval(refreshList, LIST_REFRESH_MS);
  });
})();
