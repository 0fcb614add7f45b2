// The portal and the dashboard: plain JavaScript, no framework, no CDN. Tokens live in sessionStorage; the live events
// come from EventSource, which resumes from Last-Event-ID by itself after a dropped connection.
'use strict';
(function () {
  const page = document.body.dataset.page;
  const $ = (selector) => document.querySelector(selector);
  let token = sessionStorage.getItem('vic-token');
  let current = null;
  let source = null;

  function showError(text) { $('#error').textContent = text || ''; }

  async function api(method, path, body) {
    const headers = { 'Authorization': 'Bearer ' + token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch('/api' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) {
      let detail = response.status + ' ' + response.statusText;
      try { const problem = await response.json(); detail = problem.title + ': ' + (problem.detail || JSON.stringify(problem.errors || {})); } catch (e) { /* no body */ }
      throw new Error(detail);
    }
    return response.status === 204 ? null : response.json();
  }

  async function signIn(subject, role) {
    const response = await fetch('/api/dev/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ subject, role }) });
    if (!response.ok) throw new Error('Sign-in failed (' + response.status + '): the token endpoint exists in Development only.');
    token = (await response.json()).accessToken;
    sessionStorage.setItem('vic-token', token);
  }

  function cell(row, text) { const td = document.createElement('td'); td.textContent = text; row.appendChild(td); return td; }

  async function listProjects() {
    const result = await api('GET', page === 'admin' ? '/admin/projects?pageSize=100' : '/projects?pageSize=100');
    const body = $('#projects tbody');
    body.replaceChildren();
    for (const p of result.items) {
      const row = document.createElement('tr');
      cell(row, p.title);
      if (document.body.dataset.page === 'admin') cell(row, p.owner);
      cell(row, p.status + (p.waitingFor ? ' (' + p.waitingFor + ')' : ''));
      cell(row, p.stage);
      cell(row, '$' + p.spent);
      if (document.body.dataset.page === 'portal') {
        const open = document.createElement('button');
        open.type = 'button';
        open.textContent = 'Open';
        open.addEventListener('click', () => openProject(p).catch((e) => showError(e.message)));
        cell(row, '').appendChild(open);
      }
      body.appendChild(row);
    }
  }

  function showProject(p) {
    current = p;
    $('#project').hidden = false;
    $('#project-title').textContent = p.title;
    $('#project-state').textContent = p.status + ' · ' + p.stage + ' · spent $' + p.spent + ' of $' + (p.budget ?? '?');
    $('#question').textContent = p.question ? 'The team asks (' + p.waitingFor + '): ' + p.question : '';
  }

  async function openProject(p) {
    showProject(p);
    $('#events').replaceChildren();
    if (source) source.close();
    // EventSource cannot send headers: the token goes in the query, accepted on this stream only.
    source = new EventSource('/api/projects/' + encodeURIComponent(p.id) + '/events?access_token=' + encodeURIComponent(token));
    const onEvent = async (message) => {
      const data = JSON.parse(message.data);
      const item = document.createElement('li');
      item.textContent = '#' + message.lastEventId + ' ' + message.type + (data.to ? ' → ' + data.to : '') + (data.question ? ': ' + data.question : '');
      $('#events').appendChild(item);
      if (message.type === 'projectCompleted' || message.type === 'projectCancelled') source.close();
      showProject(await api('GET', '/projects/' + encodeURIComponent(p.id)));
    };
    for (const type of ['projectCreated', 'stageChanged', 'workItemScheduled', 'workItemCompleted', 'workItemFailed', 'workItemParked', 'modelCallCompleted',
      'requirementsCaptured', 'planCreated', 'designNotesWritten', 'filesChanged', 'codeReviewed', 'testsRun', 'deployed', 'healthChecked',
      'clientInputRequested', 'clientAnswered', 'clientApproved', 'clientRequestedChanges', 'projectPaused', 'projectResumed', 'projectCancelled',
      'projectCompleted', 'budgetIncreased']) {
      source.addEventListener(type, (m) => onEvent(m).catch((e) => showError(e.message)));
    }
  }

  async function act(action) {
    const text = $('#action-form [name=text]').value.trim();
    const body = action === 'budget' ? { amount: Number(text) } : action === 'resume' ? undefined : (text || action === 'answer' || action === 'request-changes' ? { text } : undefined);
    showProject(await api('POST', '/projects/' + encodeURIComponent(current.id) + '/' + action, body));
  }

  async function download() {
    const response = await fetch('/api/projects/' + encodeURIComponent(current.id) + '/artifacts.zip', { headers: { 'Authorization': 'Bearer ' + token } });
    if (!response.ok) throw new Error('Download failed: ' + response.status);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = current.id + '.zip';
    link.click();
    URL.revokeObjectURL(link.href);
  }

  function costs(selector, lines) {
    const body = $(selector + ' tbody');
    body.replaceChildren();
    for (const line of lines) {
      const row = document.createElement('tr');
      cell(row, line.key); cell(row, line.calls + ' calls'); cell(row, line.inputTokens + '+' + line.outputTokens + ' tokens'); cell(row, '$' + line.cost);
      body.appendChild(row);
    }
  }

  async function refreshAdmin() {
    const queue = await api('GET', '/admin/queue');
    $('#queue').textContent = 'Depth ' + queue.depth + ' · ' + Object.entries(queue.projectsByStatus).map(([k, v]) => k + ' ' + v).join(', ');
    const report = await api('GET', '/admin/costs');
    costs('#by-model', report.byModel); costs('#by-role', report.byRole); costs('#by-project', report.byProject); costs('#by-day', report.byDay);
    await listProjects();
  }

  const run = (f) => (...args) => { showError(''); f(...args).catch((e) => showError(e.message)); };

  if (page === 'admin') {
    $('#refresh').addEventListener('click', run(refreshAdmin));
    run(async () => { await signIn('operator', 'admin'); await refreshAdmin(); })();
    return;
  }

  $('#signin-form').addEventListener('submit', run(async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    await signIn(form.get('subject'), form.get('role'));
    $('#whoami').textContent = 'Signed in as ' + form.get('subject') + ' (' + form.get('role') + ').';
    await listProjects();
  }));
  $('#brief-form').addEventListener('submit', run(async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const criteria = String(form.get('criteria')).split('\n').map((s) => s.trim()).filter((s) => s.length > 0);
    const budget = form.get('budget') === '' ? null : Number(form.get('budget'));
    const project = await api('POST', '/projects', { title: form.get('title'), description: form.get('description'), acceptanceCriteria: criteria, budget });
    await listProjects();
    await openProject(project);
  }));
  $('#refresh').addEventListener('click', run(listProjects));
  for (const button of document.querySelectorAll('[data-action]')) button.addEventListener('click', run(() => act(button.dataset.action)));
  $('#download').addEventListener('click', run(download));
  if (token) run(listProjects)();
})();
