// Shared by the portal and the dashboard: plain JavaScript, no framework, no CDN (the CSP allows scripts from this
// origin only). The token lives in sessionStorage; live events come from EventSource, which resumes from
// Last-Event-ID by itself after a dropped connection.
'use strict';
window.vic = (function () {
  const $ = (selector) => document.querySelector(selector);
  let token = null;

  function showError(text) { $('#error').textContent = text || ''; }

  // A call of the API (path under /api), or of another page of the host (a full path, such as /lifecycle.mmd).
  async function api(method, path, body) {
    const headers = { 'Authorization': 'Bearer ' + token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const url = path.endsWith('.mmd') ? path : '/api' + path;
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) {
      let detail = response.status + ' ' + response.statusText;
      try { const problem = await response.json(); detail = problem.title + ': ' + (problem.detail || JSON.stringify(problem.errors || {})); } catch (e) { /* no body */ }
      throw new Error(detail);
    }
    if (response.status === 204) return null;
    return (response.headers.get('Content-Type') || '').startsWith('text/plain') ? response.text() : response.json();
  }

  // Development only: the host signs a token for the user and role named (POST /api/dev/token).
  async function signIn(subject, role) {
    const response = await fetch('/api/dev/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ subject, role }) });
    if (!response.ok) throw new Error('Sign-in failed (' + response.status + '): the development token endpoint exists in the Development environment only.');
    token = (await response.json()).accessToken;
    sessionStorage.setItem('vic-token-' + role, token);
    sessionStorage.setItem('vic-user-' + role, subject);
  }

  function restore(role) {
    token = sessionStorage.getItem('vic-token-' + role);
    return token ? sessionStorage.getItem('vic-user-' + role) : null;
  }

  const authorization = () => ({ 'Authorization': 'Bearer ' + token });

  // EventSource cannot send headers: the token goes in the query, which the events endpoint (only it) accepts.
  function events(projectId) {
    return new EventSource('/api/projects/' + encodeURIComponent(projectId) + '/events?access_token=' + encodeURIComponent(token));
  }

  const eventTypes = ['projectCreated', 'stageChanged', 'workItemScheduled', 'workItemStarted', 'workItemCompleted', 'workItemFailed', 'workItemParked',
    'modelCallCompleted', 'requirementsCaptured', 'planCreated', 'designNotesWritten', 'filesChanged', 'codeReviewed', 'testsRun', 'deployed',
    'healthChecked', 'clientInputRequested', 'clientAnswered', 'clientApproved', 'clientRequestedChanges', 'projectPaused', 'projectResumed',
    'projectCancelled', 'projectCompleted', 'budgetIncreased'];
  const endings = ['projectCompleted', 'projectCancelled'];

  const name = (v) => v === null || v === undefined ? '' : typeof v === 'object' ? (v.value ?? v.name ?? JSON.stringify(v)) : String(v);

  // One line about an event: what a person wants to read (the stage, the agent, the model, the question).
  function describe(type, d) {
    switch (type) {
      case 'stageChanged': return name(d.from) + ' → ' + name(d.to);
      case 'workItemScheduled': return d.item ? name(d.item.role) + (d.item.subject ? ': ' + d.item.subject : '') : '';
      case 'workItemCompleted': return name(d.role) + ': ' + (d.summary || '');
      case 'workItemFailed': return name(d.role) + ': ' + (d.reason || '') + (d.willRetry ? ' (will retry)' : '');
      case 'workItemParked': return (d.item ? name(d.item.role) + ': ' : '') + (d.reason || '');
      case 'modelCallCompleted': return name(d.role) + ' · ' + d.modelId + ' · ' + d.inputTokens + '+' + d.outputTokens + ' tokens · $' + money(d.cost);
      case 'clientInputRequested': return name(d.kind) + ': ' + d.question;
      case 'clientAnswered': return d.answer || '';
      case 'clientRequestedChanges': return d.changes || '';
      case 'filesChanged': return (d.paths || []).join(', ');
      case 'testsRun': return d.passed + ' passed, ' + d.failed + ' failed';
      case 'deployed': return name(d.environment) + ' at ' + d.url;
      case 'budgetIncreased': return '+$' + money(d.amount);
      default: return '';
    }
  }

  // Dollars with 2 to 6 decimals (model calls cost fractions of a cent).
  function money(value) {
    return Number(value || 0).toFixed(6).replace(/(\.\d\d\d*?)0+$/, '$1');
  }

  function cell(row, text) { const td = document.createElement('td'); td.textContent = text; row.appendChild(td); return td; }

  // Calls f at most once per `ms`, the last call winning: many events, few requests (the API rate-limits per user).
  function throttle(f, ms) {
    let timer = null;
    let again = false;
    return () => {
      if (timer) { again = true; return; }
      f();
      timer = setTimeout(() => { timer = null; if (again) { again = false; f(); } }, ms);
    };
  }

  const run = (f) => (...args) => { showError(''); return f(...args).catch((e) => showError(e.message)); };

  return { $, api, authorization, signIn, restore, events, eventTypes, endings, describe, money, cell, throttle, run, showError, name };
})();
