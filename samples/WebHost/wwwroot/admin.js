// The admin dashboard: projects by stage, costs as charts and tables, a live event log of every running project, and
// the lifecycle diagram drawn from its Mermaid text.
'use strict';
(function () {
  const { $, api, signIn, events, eventTypes, endings, describe, money, cell, throttle, run, showError } = window.vic;
  const streams = new Map(); // project id -> EventSource, for the projects that have not ended
  const titles = new Map();
  let diagram = null;
  const maxLog = 300;

  function costRows(selector, lines, label) {
    const body = $(selector + ' tbody');
    body.replaceChildren();
    for (const line of lines) {
      const row = document.createElement('tr');
      row.dataset.key = line.key;
      cell(row, label ? label(line.key) : line.key);
      cell(row, line.calls + (line.calls === 1 ? ' call' : ' calls'));
      cell(row, line.inputTokens + '+' + line.outputTokens);
      cell(row, '$' + money(line.cost));
      body.appendChild(row);
    }
  }

  // Bars of cost; when every call was free (the offline model costs nothing), bars of tokens, and the caption says so.
  function chart(selector, lines, what, label) {
    const free = lines.every((l) => Number(l.cost) === 0);
    const items = lines.map((l) => ({
      key: l.key,
      label: label ? label(l.key) : l.key,
      value: free ? l.inputTokens + l.outputTokens : Number(l.cost),
      text: free ? (l.inputTokens + l.outputTokens) + ' tokens · $0' : '$' + money(l.cost) + ' · ' + l.calls + ' calls',
    }));
    window.vicCharts.bars($(selector), items, 'Cost by ' + what + (free && lines.length > 0 ? ' (all calls free: bars show tokens)' : ''));
  }

  function routingRows(routing) {
    const body = $('#routing tbody');
    body.replaceChildren();
    for (const d of routing.recent) {
      const row = document.createElement('tr');
      row.dataset.key = d.projectId;
      cell(row, new Date(d.at).toLocaleTimeString());
      cell(row, titles.get(d.projectId) || d.projectId);
      cell(row, d.role + ' · ' + d.stage);
      cell(row, d.provider + '/' + d.modelId + (d.failedOver.length ? ' (after ' + d.failedOver.join(', ') + ')' : ''));
      cell(row, d.complexity === null ? '-' : d.complexity + (d.complexityEstimated ? ' (estimated)' : ''));
      cell(row, (d.reason || '-') + (d.modelOutcomes && d.modelOutcomes.verdicts > 0
        ? ' [model\'s verdicts here: ' + d.modelOutcomes.accepted + ' accepted, ' + d.modelOutcomes.sentBack + ' sent back]' : ''));
      cell(row, (d.estimatedCost === null ? '-' : '$' + money(d.estimatedCost)) + ' · $' + money(d.cost));
      body.appendChild(row);
    }
    const mix = $('#routing-mix tbody');
    mix.replaceChildren();
    for (const m of routing.mix) {
      const row = document.createElement('tr');
      cell(row, m.complexity === 0 ? '-' : String(m.complexity));
      cell(row, m.modelId);
      cell(row, String(m.calls));
      cell(row, '$' + money(m.cost));
      mix.appendChild(row);
    }
    $('#outcome-feedback').textContent = 'Outcome feedback ' + (routing.outcomeFeedbackEnabled
      ? 'is on: a stage whose cheaper models\' work keeps being sent back moves up a band.'
      : 'is off: the rates are shown, no call is moved.');
    const shifts = new Map(routing.shifts.map((s) => [s.role + '|' + s.stage, s]));
    const outcomes = $('#outcomes tbody');
    outcomes.replaceChildren();
    for (const o of routing.outcomes) {
      const row = document.createElement('tr');
      row.dataset.key = o.modelId + '|' + o.role + '|' + o.stage;
      cell(row, o.modelId);
      cell(row, o.role + ' · ' + o.stage);
      cell(row, String(o.accepted));
      cell(row, String(o.sentBack));
      cell(row, o.acceptanceRate === null ? '-' : Math.round(o.acceptanceRate * 100) + '%');
      const shift = shifts.get(o.role + '|' + o.stage);
      cell(row, shift ? (shift.bands > 0 ? 'up ' + shift.bands + ' band: ' : 'normal band: ') + shift.reason : '-');
      outcomes.appendChild(row);
    }
  }

  const titled = (id) => titles.has(id) ? titles.get(id) + ' (' + id + ')' : id;

  async function refresh() {
    const [queue, report, page, workers, routing] = await Promise.all([
      api('GET', '/admin/queue'), api('GET', '/admin/costs'), api('GET', '/admin/projects?pageSize=100'),
      api('GET', '/admin/workers'), api('GET', '/admin/routing?limit=20')]);
    $('#queue').textContent = 'Queue depth ' + queue.depth + ' · ' + Object.entries(queue.projectsByStatus).filter(([, v]) => v > 0).map(([k, v]) => k + ' ' + v).join(', ');
    const w = workers.process;
    $('#workers').textContent = 'Workers: ' + workers.status + (w ? ' · ' + w.busy + ' of ' + w.workers + ' busy · ' + w.itemsFinished + ' items finished'
      + (w.itemsFailed ? ' (' + w.itemsFailed + ' failed)' : '') + (w.leaseFailures ? ' · leasing failed ' + w.leaseFailures + ' times in a row' : '')
      + (w.lastLeasedAt ? ' · last lease ' + new Date(w.lastLeasedAt).toLocaleTimeString() : '') : '');
    $('#workers').dataset.status = workers.status;
    routingRows(routing);

    const byStage = {};
    const body = $('#projects tbody');
    body.replaceChildren();
    for (const p of page.items) {
      titles.set(p.id, p.title);
      const ended = p.status === 'Completed' || p.status === 'Cancelled';
      if (!ended) byStage[p.stage] = (byStage[p.stage] || 0) + 1;
      const row = document.createElement('tr');
      row.dataset.key = p.id;
      cell(row, p.title);
      cell(row, p.owner);
      cell(row, p.status + (p.waitingFor ? ' (' + p.waitingFor + ')' : ''));
      cell(row, p.stage);
      cell(row, '$' + money(p.spent));
      cell(row, new Date(p.updatedAt).toLocaleString());
      body.appendChild(row);
      if (!ended && !streams.has(p.id)) follow(p.id);
    }

    const stages = $('#by-stage');
    stages.replaceChildren();
    const order = diagram ? diagram.stages : Object.keys(byStage);
    for (const stage of order.concat(Object.keys(byStage).filter((s) => !order.includes(s)))) {
      const item = document.createElement('li');
      item.dataset.stage = stage;
      item.className = byStage[stage] ? 'active' : '';
      const count = document.createElement('strong');
      count.textContent = String(byStage[stage] || 0);
      item.append(count, ' ' + stage);
      stages.appendChild(item);
    }
    if (diagram) window.vicLifecycle.draw($('#lifecycle'), diagram, byStage);

    $('#total').textContent = 'Total: ' + report.total.calls + ' model calls, ' + report.total.inputTokens + '+' + report.total.outputTokens + ' tokens, $' + money(report.total.cost);
    chart('#chart-by-model', report.byModel, 'model');
    chart('#chart-by-project', report.byProject, 'project', (id) => titles.get(id) || id);
    costRows('#by-project', report.byProject, titled);
    costRows('#by-model', report.byModel);
    costRows('#by-role', report.byRole);
    costRows('#by-day', report.byDay);
  }

  const refreshSoon = throttle(() => run(refresh)(), 2000);

  function follow(id) {
    const source = events(id);
    streams.set(id, source);
    for (const type of eventTypes) {
      source.addEventListener(type, (message) => {
        const data = JSON.parse(message.data);
        const item = document.createElement('li');
        item.dataset.project = id;
        item.dataset.type = type;
        const when = data.timestamp ? new Date(data.timestamp).toLocaleTimeString() + ' ' : '';
        item.textContent = when + (titles.get(id) || id) + ' #' + message.lastEventId + ' ' + type + (describe(type, data) ? ' · ' + describe(type, data) : '');
        const log = $('#event-log');
        log.prepend(item);
        while (log.children.length > maxLog) log.lastElementChild.remove();
        if (endings.includes(type)) { source.close(); streams.delete(id); }
        if (type === 'stageChanged' || type === 'modelCallCompleted' || type === 'clientInputRequested' || endings.includes(type)) refreshSoon();
      });
    }
  }

  $('#refresh').addEventListener('click', run(refresh));
  run(async () => {
    await signIn('operator', 'admin');
    $('#whoami').textContent = 'Signed in as operator (admin).';
    try { diagram = window.vicLifecycle.parse(await api('GET', '/lifecycle.mmd')); } catch (e) { showError('The lifecycle could not be read: ' + e.message); }
    await refresh();
    setInterval(refreshSoon, 5000); // new projects and queue depth, between events
  })();
})();
