/**
 * The dashboard's browser script (plain ES2017, no build step). It signs in with POST /auth/login,
 * keeps the access token in sessionStorage and reads GET /targets/progress and GET /indicators.
 * A 403 from the API shows the refusal message: access is the API's decision, not the page's.
 * Kept free of backticks so it can live in this template literal.
 */
export const DASHBOARD_SCRIPT = `'use strict';
(function () {
  var TOKEN_KEY = 'ouflow.dashboard.token';
  var STATUS = { achieved: '已完成', on_track: '进度正常', at_risk: '存在风险', missed: '未按期完成', no_target: '无目标' };
  var charts = [];

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') node.textContent = attrs[key];
      else if (key === 'className') node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }
  function fmt(value) {
    if (value === null || value === undefined) return '—';
    return Number(value).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
  }
  function badge(status) { return el('span', { className: 'status status-' + status, text: STATUS[status] || status }); }
  function row(cells) {
    return el('tr', {}, cells.map(function (cell) {
      return cell instanceof Node ? el('td', {}, [cell]) : el('td', { text: String(cell) });
    }));
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function api(path) {
    return fetch(path, { headers: { authorization: 'Bearer ' + token() } }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) { return { status: response.status, body: body }; });
    });
  }

  function show(view) {
    $('login-panel').hidden = view !== 'login';
    $('dashboard').hidden = view !== 'dashboard';
    $('toolbar').hidden = view === 'login';
    $('refusal').hidden = view !== 'refused';
  }

  function refuse(message) {
    $('refusal').textContent = message;
    show('refused');
  }

  function login(event) {
    event.preventDefault();
    $('login-error').textContent = '';
    fetch('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: $('email').value.trim(), password: $('password').value })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status !== 200 || !body.accessToken) {
          $('login-error').textContent = (body.error && body.error.message) || '登录失败，请重试。';
          return;
        }
        sessionStorage.setItem(TOKEN_KEY, body.accessToken);
        $('password').value = '';
        load();
      });
    }).catch(function () { $('login-error').textContent = '无法连接服务器，请稍后再试。'; });
  }

  function logout() {
    sessionStorage.removeItem(TOKEN_KEY);
    charts.forEach(function (chart) { chart.dispose(); });
    charts = [];
    show('login');
  }

  function load() {
    var asOf = $('as-of').value;
    var query = '?by=county' + (asOf ? '&asOf=' + encodeURIComponent(asOf) : '');
    Promise.all([api('/targets/progress' + query), api('/indicators')]).then(function (results) {
      var progress = results[0];
      var indicators = results[1];
      if (progress.status === 401 || indicators.status === 401) { logout(); $('login-error').textContent = '登录已失效，请重新登录。'; return; }
      if (progress.status === 403 || indicators.status === 403) {
        refuse('您的账号无权查看本看板（仅向局领导和市科技局工作人员开放）。Access denied (403).');
        return;
      }
      if (progress.status !== 200 || indicators.status !== 200) {
        refuse('数据加载失败：' + ((progress.body.error && progress.body.error.message) || (indicators.body.error && indicators.body.error.message) || progress.status));
        return;
      }
      show('dashboard');
      render(progress.body, indicators.body);
    }).catch(function () { refuse('无法连接服务器，请稍后再试。'); });
  }

  function render(report, indicators) {
    charts.forEach(function (chart) { chart.dispose(); });
    charts = [];
    $('as-of-label').textContent = report.asOf;
    $('as-of').value = report.asOf;
    renderSummary(report.targets);
    renderBurnUp(report.targets);
    renderCounties(report.targets);
    renderIndustries(report.targets);
    renderFunnel(report.pipeline);
    renderForecast(report.targets);
    renderIndicators(indicators);
  }

  function renderSummary(targets) {
    var body = $('summary-table').tBodies[0];
    body.textContent = '';
    targets.forEach(function (t) {
      var tr = row([t.nameZh, fmt(t.value), t.target ? fmt(t.target.value) : '—', fmt(t.gap), t.target ? t.target.dueOn : '—', badge(t.status)]);
      tr.setAttribute('data-code', t.code);
      tr.setAttribute('data-value', String(t.value));
      body.appendChild(tr);
    });
    var source = targets.length && targets[0].target ? targets[0].target.sourceDocumentNumber : '';
    $('summary-note').textContent = '目标值以统计日期有效的目标为准' + (source ? '（来源：' + source + '等）' : '') + '；只统计当日有效（已认定、未撤销）的平台，晋升的平台按一家计。';
  }

  function renderBurnUp(targets) {
    var container = $('charts');
    container.textContent = '';
    targets.forEach(function (t) {
      var chartNode = el('div', { className: 'chart', 'data-code': t.code });
      var caption = el('p', { className: 'caption', text: '当前 ' + fmt(t.value) + ' ' + t.unitZh + (t.target ? ' / 目标 ' + fmt(t.target.value) + '（' + t.target.dueOn + '）' : '') });
      var card = el('div', { className: 'chart-card', 'data-code': t.code }, [el('h3', { text: t.nameZh }), caption, chartNode]);
      container.appendChild(card);
      var actual = [];
      if (t.plan) actual.push([t.plan.from.day, t.plan.from.value]);
      t.series.forEach(function (point) { if (!t.plan || point.day > t.plan.from.day) actual.push([point.day, point.value]); });
      var series = [{ name: '实际', type: 'line', step: false, symbolSize: 7, data: actual, itemStyle: { color: '#1f5fa8' }, areaStyle: { opacity: 0.08 },
        label: { show: true, position: 'top', fontSize: 10 } }];
      if (t.plan) {
        series.push({ name: '计划', type: 'line', symbol: 'none', data: [[t.plan.from.day, t.plan.from.value], [t.plan.to.day, t.plan.to.value]],
          lineStyle: { type: 'dashed', color: '#b9770e' }, itemStyle: { color: '#b9770e' },
          markLine: { symbol: 'none', silent: true, data: [{ yAxis: t.target.value, name: '目标' }], lineStyle: { color: '#c0392b' }, label: { formatter: '目标 {c}' } } });
      }
      var chart = echarts.init(chartNode, null, { renderer: 'canvas' });
      chart.setOption({
        animation: false,
        grid: { left: 56, right: 24, top: 24, bottom: 28 },
        tooltip: { trigger: 'axis' },
        legend: { data: ['实际', '计划'], right: 0, top: 0, textStyle: { fontSize: 11 } },
        xAxis: { type: 'time', min: '2023-01-01', max: '2028-01-01', axisLabel: { formatter: '{yyyy}' } },
        yAxis: { type: 'value', min: 0 },
        series: series
      });
      charts.push(chart);
    });
  }

  function byCode(targets, code) { return targets.filter(function (t) { return t.code === code; })[0]; }

  function renderCounties(targets) {
    var coverage = byCode(targets, 'incubation.county_coverage');
    var counted = byCode(targets, 'incubation.provincial_plus');
    var body = $('county-table').tBodies[0];
    body.textContent = '';
    if (!coverage || !coverage.coverage) return;
    var counts = {};
    if (counted && counted.breakdown) counted.breakdown.items.forEach(function (item) { counts[item.key] = item.value; });
    var all = coverage.coverage.covered.map(function (c) { return { code: c.code, nameZh: c.nameZh, covered: true }; })
      .concat(coverage.coverage.missing.map(function (c) { return { code: c.code, nameZh: c.nameZh, covered: false }; }));
    var order = counted && counted.breakdown ? counted.breakdown.items.map(function (i) { return i.key; }) : [];
    all.sort(function (a, b) { return order.indexOf(a.code) - order.indexOf(b.code); });
    all.forEach(function (county) {
      var tr = row([county.nameZh, fmt(counts[county.code] || 0), el('span', { className: county.covered ? 'yes' : 'no', text: county.covered ? '已覆盖' : '未覆盖' })]);
      tr.setAttribute('data-county', county.code);
      body.appendChild(tr);
    });
    body.appendChild(row(['合计：已覆盖 ' + coverage.coverage.covered.length + ' / ' + coverage.coverage.of, '', '']));
  }

  function renderIndustries(targets) {
    var coverage = byCode(targets, 'nri.industry_coverage');
    var chips = $('industry-chips');
    chips.textContent = '';
    if (!coverage || !coverage.coverage) return;
    coverage.coverage.covered.forEach(function (c) { chips.appendChild(el('span', { className: 'chip covered', 'data-industry': c.code, text: '✓ ' + c.nameZh })); });
    coverage.coverage.missing.forEach(function (c) { chips.appendChild(el('span', { className: 'chip missing', 'data-industry': c.code, text: '✗ ' + c.nameZh })); });
  }

  function renderFunnel(pipeline) {
    var stages = (pipeline && pipeline.stages) || [];
    $('funnel').hidden = stages.length === 0;
    $('funnel-empty').hidden = stages.length > 0;
    if (stages.length === 0) return;
    var chart = echarts.init($('funnel'), null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'item' },
      series: [{ type: 'funnel', sort: 'descending', label: { formatter: '{b}：{c}' },
        data: stages.map(function (s) { return { name: s.nameZh, value: s.count }; }) }]
    });
    charts.push(chart);
  }

  function renderForecast(targets) {
    var body = $('forecast-table').tBodies[0];
    body.textContent = '';
    targets.forEach(function (t) {
      var tr = row([t.nameZh, fmt(t.value), fmt(t.forecast.expectedFromPipeline), fmt(t.forecast.projected), fmt(t.plannedValue), t.target ? fmt(t.target.value) : '—', badge(t.status)]);
      tr.setAttribute('data-code', t.code);
      body.appendChild(tr);
    });
  }

  function renderIndicators(indicators) {
    var table = $('indicator-table');
    var years = indicators.length ? indicators[0].years.map(function (y) { return y.year; }) : [];
    table.tHead.textContent = '';
    table.tHead.appendChild(el('tr', {}, [el('th', { text: '指标' })].concat(years.map(function (y) { return el('th', { text: y === 2022 ? '2022（基期）' : String(y) }); }))));
    var body = table.tBodies[0];
    body.textContent = '';
    indicators.forEach(function (indicator) {
      var cells = [el('td', { text: indicator.nameZh + '（' + indicator.unit + '）' })];
      indicator.years.forEach(function (y) {
        var text = (y.value === null ? '—' : fmt(y.value)) + ' / ' + (y.milestone === null ? '—' : fmt(y.milestone));
        var cell = el('td', { text: text, 'data-year': String(y.year) });
        if (y.met === true) cell.className = 'yes';
        if (y.met === false) cell.className = 'no';
        cells.push(cell);
      });
      var tr = el('tr', { 'data-indicator': indicator.code }, cells);
      body.appendChild(tr);
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', logout);
    $('refresh').addEventListener('click', load);
    $('print').addEventListener('click', function () { window.print(); });
    window.addEventListener('resize', function () { charts.forEach(function (chart) { chart.resize(); }); });
    window.addEventListener('beforeprint', function () { charts.forEach(function (chart) { chart.resize(); }); });
    if (token()) load(); else show('login');
  });
})();
`;
