// The engage dashboard (docs/query.md, "Dashboard"): asks for the read token once (kept in this tab's
// sessionStorage), then reads the query API of this origin every few seconds and draws what it answers.
// No library: charts are inline SVG built here; every value from the API is set as text, never as markup.
'use strict';

(function () {
  const TOKEN_KEY = 'engage.readToken';
  const PROGRAM_KEY = 'engage.program';
  const SVG = 'http://www.w3.org/2000/svg';
  const BENEFICIARIES = ['seniors', 'children', 'veterans', 'homeless'];
  const NUDGE_TYPES = ['SCHEDULED_PROMPT', 'BEHIND_PACE', 'INACTIVITY', 'STREAK_AT_RISK', 'CELEBRATION'];
  const SUPPRESS_REASONS = ['COACHING_OFF', 'OPTED_OUT', 'PAUSED', 'QUIET_HOURS', 'DAILY_CAP'];
  const LIMIT = 10;

  const params = new URLSearchParams(window.location.search);
  // ?refresh=N: every N seconds (default 5, at least 1)
  const refreshSeconds = Math.max(1, Number(params.get('refresh')) || 5);
  const number = new Intl.NumberFormat('en-US');
  const $ = (id) => document.getElementById(id);

  let timer = null;
  let refreshes = 0;
  let running = false;

  class Refused extends Error {}

  function token() {
    return window.sessionStorage.getItem(TOKEN_KEY);
  }

  async function api(path) {
    const response = await fetch(path, {
      headers: { Authorization: 'Bearer ' + token(), Accept: 'application/json' },
      cache: 'no-store',
    });
    let body = {};
    try {
      body = await response.json();
    } catch (e) {
      body = {};
    }
    if (response.status === 401 || response.status === 403) {
      throw new Refused(body.message || 'the token was refused');
    }
    if (!response.ok) {
      throw new Error(path + ': ' + response.status + ' ' + (body.message || ''));
    }
    return body;
  }

  function todayUtc() {
    return new Date().toISOString().slice(0, 10);
  }

  // --- login --------------------------------------------------------------------------------------------------

  function showLogin(message) {
    stop();
    $('board').hidden = true;
    $('controls').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    document.body.dataset.state = 'login';
    $('token').focus();
  }

  function showBoard() {
    $('login').hidden = true;
    $('board').hidden = false;
    $('controls').hidden = false;
  }

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('token').value.trim();
    if (!value) {
      return;
    }
    window.sessionStorage.setItem(TOKEN_KEY, value);
    $('token').value = '';
    start();
  });

  $('forget-token').addEventListener('click', () => {
    window.sessionStorage.removeItem(TOKEN_KEY);
    showLogin('');
  });

  $('program').addEventListener('change', () => {
    window.sessionStorage.setItem(PROGRAM_KEY, $('program').value);
    refreshNow();
  });

  $('date').addEventListener('change', refreshNow);

  // --- refresh loop -------------------------------------------------------------------------------------------

  function start() {
    showBoard();
    if (!$('date').value) {
      $('date').value = todayUtc();
    }
    refreshNow();
  }

  function stop() {
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
  }

  function refreshNow() {
    stop();
    if (running) {
      // the refresh under way schedules the next one
      timer = window.setTimeout(refreshNow, 200);
      return;
    }
    running = true;
    // started and finished refreshes, for whoever watches the page (the browser test)
    document.body.dataset.started = String(refreshes + 1);
    refresh()
      .then(() => {
        setStatus('updated ' + new Date().toLocaleTimeString('en-GB') + ', every ' + refreshSeconds + ' s', false);
        refreshes += 1;
        document.body.dataset.refreshes = String(refreshes);
        document.body.dataset.state = 'loaded';
        timer = window.setTimeout(refreshNow, refreshSeconds * 1000);
      })
      .catch((error) => {
        if (error instanceof Refused) {
          window.sessionStorage.removeItem(TOKEN_KEY);
          showLogin('The query API refused this token (' + error.message + '). Enter the read token.');
          return;
        }
        setStatus('could not refresh: ' + error.message + '; trying again', true);
        timer = window.setTimeout(refreshNow, refreshSeconds * 1000);
      })
      .finally(() => {
        running = false;
      });
  }

  function setStatus(text, failing) {
    $('status').textContent = text;
    $('status').classList.toggle('failing', failing);
  }

  async function refresh() {
    const date = $('date').value || todayUtc();
    const programs = (await api('/v1/programs')).programs.map((p) => p.programId);
    const program = choosePrograms(programs);
    const day = '?date=' + encodeURIComponent(date);
    const pipeline = Promise.all([api('/v1/pipeline/readings'), api('/v1/pipeline/nudges' + day)]);
    let perProgram = Promise.resolve(null);
    if (program) {
      const base = '/v1/programs/' + encodeURIComponent(program);
      const board = (path, period) => api(base + path + '?period=' + period + '&limit=' + LIMIT + '&date=' + encodeURIComponent(date));
      perProgram = Promise.all([
        api(base + '/goals' + day),
        api(base + '/donations'),
        board('/leaderboard', 'day'),
        board('/leaderboard', 'week'),
        board('/teams/leaderboard', 'day'),
        board('/teams/leaderboard', 'week'),
      ]);
    }
    const [[readings, nudges], programmeData] = await Promise.all([pipeline, perProgram]);
    document.querySelectorAll('.date-label').forEach((e) => {
      e.textContent = date === todayUtc() ? 'today (' + date + ')' : date;
    });
    drawReadings(readings);
    drawNudges(nudges);
    $('no-programs').hidden = programs.length > 0;
    ['goals-card', 'donations-card', 'leaderboards'].forEach((id) => {
      $(id).hidden = !program;
    });
    if (programmeData) {
      const [goals, donations, pDay, pWeek, tDay, tWeek] = programmeData;
      setNumber('goal-days-steps', goals.goalDays.steps);
      setNumber('goal-days-active-minutes', goals.goalDays.active_minutes);
      drawDonations(donations);
      drawBoard('lb-participants-day', pDay.entries, 'participantId');
      drawBoard('lb-participants-week', pWeek.entries, 'participantId');
      drawBoard('lb-teams-day', tDay.entries, 'teamId');
      drawBoard('lb-teams-week', tWeek.entries, 'teamId');
    }
  }

  /** Fills the programme selector (shown only with several programmes) and answers the chosen programme. */
  function choosePrograms(programs) {
    const select = $('program');
    const known = Array.from(select.options).map((o) => o.value);
    if (known.join('\n') !== programs.join('\n')) {
      select.replaceChildren(...programs.map((id) => {
        const option = document.createElement('option');
        option.value = id;
        option.textContent = id;
        return option;
      }));
    }
    const wanted = window.sessionStorage.getItem(PROGRAM_KEY);
    if (wanted && programs.includes(wanted)) {
      select.value = wanted;
    }
    $('program-picker').hidden = programs.length < 2;
    $('program-single').textContent = programs.length === 1 ? 'Programme ' + programs[0] : '';
    return programs.length > 0 ? select.value || programs[0] : null;
  }

  // --- drawing ------------------------------------------------------------------------------------------------

  function setNumber(id, value) {
    const element = $(id);
    element.textContent = number.format(value);
    element.dataset.value = String(value);
  }

  function drawReadings(r) {
    setNumber('readings-accepted', r.accepted);
    setNumber('readings-dead-lettered', r.deadLettered);
    const entries = Object.entries(r.deadLetteredByReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    barChart($('chart-dead-letters'), entries, '#d0493f', 'nothing dead-lettered');
  }

  function drawNudges(n) {
    setNumber('nudges-sent', n.sent);
    setNumber('nudges-suppressed', n.suppressed);
    barChart($('chart-nudges-sent'), withAll(NUDGE_TYPES, n.sentByType), '#2f6fdb');
    barChart($('chart-nudges-suppressed'), withAll(SUPPRESS_REASONS, n.suppressedByReason), '#9aa5b1');
  }

  function drawDonations(d) {
    setNumber('donations-triggered', d.triggered);
    setNumber('donations-budget', d.budget);
    setNumber('donations-remaining', d.remaining);
    setNumber('donations-deferred', d.deferred);
    budgetBar($('chart-budget'), d.triggered, d.budget, d.deferred);
    barChart($('chart-beneficiaries'), withAll(BENEFICIARIES, d.byBeneficiary), '#1f9d6b');
  }

  /** The known keys in their order (zeros included), then any other key the API answers. */
  function withAll(keys, counts) {
    const entries = keys.map((k) => [k, counts[k] || 0]);
    Object.keys(counts).filter((k) => !keys.includes(k)).sort().forEach((k) => entries.push([k, counts[k]]));
    return entries;
  }

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG, name);
    Object.entries(attributes || {}).forEach(([k, v]) => element.setAttribute(k, String(v)));
    return element;
  }

  function text(x, y, content, attributes) {
    const element = svgElement('text', Object.assign({ x: x, y: y }, attributes || {}));
    element.textContent = content;
    return element;
  }

  /** A horizontal bar chart: one row per [label, value], bars scaled to the largest value. */
  function barChart(container, entries, colour, emptyText) {
    // drawn at the container's own width in pixels, so the text keeps its size
    const width = Math.max(220, container.clientWidth || 300);
    const row = 22;
    const labelWidth = 120;
    const valueWidth = 56;
    const barSpace = width - labelWidth - valueWidth;
    const height = Math.max(1, entries.length) * row + 4;
    const svg = svgElement('svg', { viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'img' });
    if (entries.length === 0) {
      svg.appendChild(text(0, 16, emptyText || 'none', { class: 'empty' }));
    }
    const max = Math.max(1, ...entries.map((e) => e[1]));
    entries.forEach(([label, value], i) => {
      const y = i * row + 2;
      const g = svgElement('g', { class: 'bar', 'data-key': label, 'data-value': value });
      const title = svgElement('title');
      title.textContent = label + ': ' + number.format(value);
      g.appendChild(title);
      g.appendChild(text(0, y + 14, label.toLowerCase().replace(/_/g, ' ')));
      g.appendChild(svgElement('rect', { x: labelWidth, y: y + 3, height: row - 8, rx: 3, width: barSpace, fill: '#eef1f5' }));
      const w = value === 0 ? 0 : Math.max(2, (value / max) * barSpace);
      g.appendChild(svgElement('rect', { x: labelWidth, y: y + 3, height: row - 8, rx: 3, width: w, fill: colour }));
      g.appendChild(text(width, y + 14, number.format(value), { 'text-anchor': 'end', class: 'bar-value' }));
      svg.appendChild(g);
    });
    container.replaceChildren(svg);
  }

  /** The budget as one bar: made (green) and what remains (grey), deferred noted beside it. */
  function budgetBar(container, made, budget, deferred) {
    const width = Math.max(220, container.clientWidth || 300);
    const svg = svgElement('svg', { viewBox: '0 0 ' + width + ' 44', width: width, height: 44, role: 'img' });
    const used = budget > 0 ? Math.min(1, made / budget) : 0;
    svg.appendChild(svgElement('rect', { x: 0, y: 4, width: width, height: 16, rx: 4, fill: '#eef1f5' }));
    svg.appendChild(svgElement('rect', { x: 0, y: 4, width: used * width, height: 16, rx: 4, fill: '#1f9d6b', class: 'budget-used' }));
    const share = budget > 0 ? Math.round(used * 100) + '% used' : 'no budget';
    svg.appendChild(text(0, 38, share + (deferred > 0 ? ', ' + number.format(deferred) + ' waiting' : '')));
    container.replaceChildren(svg);
  }

  function drawBoard(id, entries, idField) {
    const body = $(id).tBodies[0];
    if (entries.length === 0) {
      const row = document.createElement('tr');
      const cell = document.createElement('td');
      cell.className = 'empty';
      cell.textContent = 'no steps yet';
      row.appendChild(cell);
      body.replaceChildren(row);
      return;
    }
    const max = Math.max(1, ...entries.map((e) => e.steps));
    body.replaceChildren(...entries.map((e) => {
      const row = document.createElement('tr');
      row.dataset.id = e[idField];
      row.dataset.steps = String(e.steps);
      const cells = [
        ['rank', String(e.rank)],
        ['id', e[idField]],
        ['steps', number.format(e.steps)],
      ].map(([cls, content]) => {
        const cell = document.createElement('td');
        cell.className = cls;
        cell.textContent = content;
        return cell;
      });
      const meter = document.createElement('td');
      meter.className = 'meter';
      const bar = document.createElement('div');
      bar.className = 'meter-bar';
      bar.style.width = ((e.steps / max) * 100).toFixed(1) + '%';
      meter.appendChild(bar);
      cells.push(meter);
      row.replaceChildren(...cells);
      return row;
    }));
  }

  if (token()) {
    start();
  } else {
    showLogin('');
  }
})();
