// The client portal: sign in, submit a brief, follow a project live (its event stream), act on it, download the code.
'use strict';
(function () {
  const { $, api, signIn, restore, events, eventTypes, endings, describe, money, cell, throttle, run, name } = window.vic;
  let current = null;
  let source = null;
  let stages = [];

  async function loadLifecycle() {
    try { stages = window.vicLifecycle.parse(await api('GET', '/lifecycle.mmd')).stages; } catch (e) { stages = []; }
  }

  function signedIn(user, role) {
    $('#whoami').textContent = 'Signed in as ' + user + ' (' + role + ').';
    $('#signed-in').hidden = false;
  }

  async function listProjects() {
    const result = await api('GET', '/projects?pageSize=100');
    const body = $('#projects tbody');
    body.replaceChildren();
    for (const p of result.items) {
      const row = document.createElement('tr');
      row.dataset.key = p.id;
      cell(row, p.title);
      cell(row, p.status + (p.waitingFor ? ' (' + p.waitingFor + ')' : ''));
      cell(row, p.stage);
      cell(row, '$' + money(p.spent));
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'small';
      open.textContent = 'Open';
      open.addEventListener('click', run(() => openProject(p)));
      cell(row, '').appendChild(open);
      body.appendChild(row);
    }
  }

  // Which actions make sense now: the others are disabled, so a click cannot be wasted on a 409.
  function enable(p) {
    const ended = p.status === 'Completed' || p.status === 'Cancelled';
    const allowed = {
      answer: p.waitingFor === 'Clarification',
      approve: p.waitingFor === 'Review',
      'request-changes': p.waitingFor === 'Review',
      budget: !ended,
      pause: !ended && p.status !== 'Paused',
      resume: p.status === 'Paused',
      cancel: !ended,
    };
    for (const button of document.querySelectorAll('[data-action]')) button.disabled = !allowed[button.dataset.action];
  }

  function showProject(p) {
    if (!current || current.id !== p.id || p.version >= current.version) current = p;
    p = current;
    $('#project').hidden = false;
    $('#project').dataset.projectId = p.id;
    $('#project-title').textContent = p.title;
    $('#project-status').textContent = p.status;
    $('#project-stage').textContent = p.stage;
    $('#project-spent').textContent = '$' + money(p.spent) + (p.budget !== null && p.budget !== undefined ? ' of $' + money(p.budget) : '');
    const deployed = $('#project-deployments');
    deployed.replaceChildren();
    for (const [environment, url] of Object.entries(p.deployments || {})) {
      const link = document.createElement('a');
      link.href = url;
      link.rel = 'noopener';
      link.target = '_blank';
      link.textContent = url;
      deployed.append(deployed.childNodes.length ? ' · ' : '', environment + ': ', link);
    }
    if (!deployed.childNodes.length) deployed.textContent = '—';
    const row = document.querySelector('#projects tr[data-key="' + CSS.escape(p.id) + '"]');
    if (row) {
      row.children[1].textContent = p.status + (p.waitingFor ? ' (' + p.waitingFor + ')' : '');
      row.children[2].textContent = p.stage;
      row.children[3].textContent = '$' + money(p.spent);
    }
    $('#question').textContent = p.question ? 'The team asks (' + p.waitingFor + '): ' + p.question : '';
    $('#ask').classList.toggle('waiting', !!p.question);
    const list = $('#stages');
    list.replaceChildren();
    const at = stages.indexOf(p.stage);
    stages.forEach((stage, i) => {
      const item = document.createElement('li');
      item.textContent = stage;
      item.className = i < at || p.status === 'Completed' ? 'done' : i === at ? 'current' : '';
      list.appendChild(item);
    });
    enable(p);
  }

  async function openProject(p) {
    showProject(p);
    $('#events').replaceChildren();
    if (source) source.close();
    source = events(p.id);
    const refresh = throttle(() => api('GET', '/projects/' + encodeURIComponent(p.id)).then(showProject).catch((e) => window.vic.showError(e.message)), 400);
    for (const type of eventTypes) {
      source.addEventListener(type, (message) => {
        const data = JSON.parse(message.data);
        const item = document.createElement('li');
        item.dataset.type = type;
        item.textContent = '#' + message.lastEventId + ' ' + type + (describe(type, data) ? ' · ' + describe(type, data) : '');
        $('#events').prepend(item);
        if (endings.includes(type)) { source.close(); listProjects().catch(() => {}); }
        refresh();
      });
    }
  }

  async function act(action) {
    const text = $('#action-form [name=text]').value.trim();
    let body;
    if (action === 'budget') body = { amount: Number(text) };
    else if (action === 'answer' || action === 'request-changes') body = { text };
    else if (action !== 'resume' && text) body = { text };
    showProject(await api('POST', '/projects/' + encodeURIComponent(current.id) + '/' + action, body));
    $('#action-form [name=text]').value = '';
  }

  async function download() {
    const response = await fetch('/api/projects/' + encodeURIComponent(current.id) + '/artifacts.zip', { headers: window.vic.authorization() });
    if (!response.ok) throw new Error('Download failed: ' + response.status + ' ' + response.statusText);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = current.id + '.zip';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  $('#signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    run(async () => {
      await signIn(form.get('subject'), form.get('role'));
      sessionStorage.setItem('vic-role', form.get('role'));
      signedIn(form.get('subject'), form.get('role'));
      await loadLifecycle();
      await listProjects();
    })();
  });
  $('#brief-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    run(async () => {
      const criteria = String(form.get('criteria')).split('\n').map((s) => s.trim()).filter((s) => s.length > 0);
      const budget = form.get('budget') === '' ? null : Number(form.get('budget'));
      const project = await api('POST', '/projects', { title: form.get('title'), description: form.get('description'), acceptanceCriteria: criteria, budget });
      await openProject(project);
      await listProjects();
    })();
  });
  $('#refresh').addEventListener('click', run(listProjects));
  for (const button of document.querySelectorAll('[data-action]')) button.addEventListener('click', run(() => act(button.dataset.action)));
  $('#download').addEventListener('click', run(download));

  const role = sessionStorage.getItem('vic-role') || 'client';
  const user = restore(role);
  if (user) run(async () => { signedIn(user, role); await loadLifecycle(); await listProjects(); })();
})();
