/**
 * The dashboard page (zh-CN). Static: no data, no inline script (the CSP allows only same-origin
 * scripts); dashboard.js signs in and fills it from the API. Print styles give an A4 report.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>温州市创新平台目标进度看板</title>
<link rel="icon" href="data:,">
<style>
  :root { --blue: #1f5fa8; --red: #c0392b; --green: #1e8449; --amber: #b9770e; --grey: #6b7280; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; color: #1f2933; background: #f4f6f9; }
  header { background: var(--blue); color: #fff; padding: 16px 24px; display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 12px; }
  header h1 { margin: 0; font-size: 22px; }
  header .sub { margin: 4px 0 0; font-size: 13px; opacity: 0.9; }
  .toolbar { display: flex; gap: 8px; align-items: center; font-size: 14px; }
  .toolbar input, .toolbar button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid #cbd5e1; }
  .toolbar button { background: #fff; color: var(--blue); cursor: pointer; }
  main, #login-panel, .refusal { max-width: 1280px; margin: 16px auto; padding: 0 16px; }
  section { background: #fff; border-radius: 8px; padding: 16px 20px; margin-bottom: 16px; box-shadow: 0 1px 2px rgba(0,0,0,0.06); page-break-inside: avoid; }
  section h2 { margin: 0 0 12px; font-size: 17px; color: var(--blue); }
  #login-form { max-width: 360px; margin: 48px auto; display: grid; gap: 12px; background: #fff; padding: 24px; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,0.1); }
  #login-form label { display: grid; gap: 4px; font-size: 14px; }
  #login-form input { font: inherit; padding: 8px; border: 1px solid #cbd5e1; border-radius: 4px; }
  #login-form button { font: inherit; padding: 8px; background: var(--blue); color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  .error { color: var(--red); min-height: 1em; margin: 0; font-size: 14px; }
  .refusal { background: #fdecea; color: var(--red); border: 1px solid #f5c6cb; border-radius: 8px; padding: 16px 20px; font-size: 15px; }
  table { width: 100%; border-collapse: collapse; font-size: 14px; }
  th, td { border-bottom: 1px solid #e5e7eb; padding: 6px 8px; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  th { background: #f8fafc; font-weight: 600; }
  .status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; color: #fff; }
  .status-achieved { background: var(--green); } .status-on_track { background: var(--blue); } .status-at_risk { background: var(--amber); }
  .status-missed { background: var(--red); } .status-no_target { background: var(--grey); }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 16px; }
  .chart-card { border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px; page-break-inside: avoid; }
  .chart-card h3 { margin: 0; font-size: 14px; }
  .chart-card .caption { margin: 2px 0 0; font-size: 12px; color: var(--grey); }
  .chart { width: 100%; height: 260px; }
  .small-chart { width: 100%; height: 180px; }
  .yes { color: var(--green); font-weight: 600; } .no { color: var(--red); font-weight: 600; }
  .chips { display: flex; flex-wrap: wrap; gap: 6px; }
  .chip { padding: 2px 10px; border-radius: 12px; font-size: 13px; border: 1px solid; }
  .chip.covered { color: var(--green); border-color: var(--green); } .chip.missing { color: var(--red); border-color: var(--red); }
  .note { color: var(--grey); font-size: 13px; }
  footer { text-align: center; color: var(--grey); font-size: 12px; padding: 16px; }
  [hidden] { display: none !important; }
  @media print {
    @page { size: A4; margin: 12mm; }
    body { background: #fff; }
    header { background: #fff; color: #000; border-bottom: 2px solid #000; padding: 0 0 8px; }
    .no-print, #login-panel, .toolbar { display: none !important; }
    main { max-width: none; margin: 0; padding: 0; }
    section { box-shadow: none; border: 1px solid #ccc; padding: 8px 12px; }
    .charts { grid-template-columns: 1fr 1fr; }
    .chart { height: 220px; }
  }
</style>
<script src="/dashboard/echarts.min.js" defer></script>
<script src="/dashboard/dashboard.js" defer></script>
</head>
<body>
<header>
  <div>
    <h1>温州市创新平台目标进度看板</h1>
    <p class="sub">依据《温州市大力实施科技创新"八大抓手"全面融入省"315"科技创新体系实施方案（2023—2027年）》（温政发〔2023〕17号） · 数据截至 <span id="as-of-label">—</span></p>
  </div>
  <div class="toolbar" id="toolbar" hidden>
    <label for="as-of">统计日期</label> <input type="date" id="as-of">
    <button type="button" id="refresh">刷新</button>
    <button type="button" id="print">打印</button>
    <button type="button" id="logout">退出登录</button>
  </div>
</header>
<div id="login-panel">
  <form id="login-form" autocomplete="on">
    <h2>登录</h2>
    <p class="note">本看板仅向局领导和市科技局工作人员开放。</p>
    <label>邮箱 <input type="email" id="email" name="email" required autocomplete="username"></label>
    <label>密码 <input type="password" id="password" name="password" required autocomplete="current-password"></label>
    <button type="submit" id="login-button">登录</button>
    <p id="login-error" class="error" role="alert"></p>
  </form>
</div>
<p id="refusal" class="refusal" role="alert" hidden></p>
<main id="dashboard" hidden>
  <section id="summary">
    <h2>目标总览</h2>
    <table id="summary-table">
      <thead><tr><th>目标</th><th>当前</th><th>目标值</th><th>差距</th><th>完成期限</th><th>状态</th></tr></thead>
      <tbody></tbody>
    </table>
    <p class="note" id="summary-note"></p>
  </section>
  <section id="burn-up">
    <h2>目标进度（累计，虚线为至期限的计划线）</h2>
    <div id="charts" class="charts"></div>
  </section>
  <section id="county-coverage">
    <h2>县（市、区）覆盖：省级以上孵化器和众创空间</h2>
    <table id="county-table">
      <thead><tr><th>县（市、区）</th><th>省级以上孵化器和众创空间（家）</th><th>是否覆盖</th></tr></thead>
      <tbody></tbody>
    </table>
    <p class="note">功能区的平台计入其所属县（市、区），如温州湾新区计入龙湾区。</p>
  </section>
  <section id="industry-coverage">
    <h2>"5+5"产业新型研发机构覆盖</h2>
    <div id="industry-chips" class="chips"></div>
  </section>
  <section id="pipeline">
    <h2>在途申报漏斗</h2>
    <div id="funnel" class="chart" hidden></div>
    <p id="funnel-empty" class="note" hidden>目前没有在途申报：申报书提交后，此处按环节显示在途数量。</p>
  </section>
  <section id="forecast">
    <h2>预测（在途申报 × 历史通过率）</h2>
    <table id="forecast-table">
      <thead><tr><th>目标</th><th>当前</th><th>在途预计新增</th><th>预测值</th><th>按计划应达</th><th>目标值</th><th>状态</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section id="indicators">
    <h2>九大重点科技创新指标</h2>
    <table id="indicator-table"><thead></thead><tbody></tbody></table>
    <p class="note">格式：实际值 / 目标值；无实际值显示"—"。2024、2026年目标为相邻目标年份之间的线性插值。</p>
  </section>
</main>
<footer>温州市科学技术局 · 瓯流 Ouflow</footer>
</body>
</html>
`;
