// Field app entry (issue 14, foundation only): checks that the API answers on the same origin.
const app = document.getElementById('app');
if (app === null) throw new Error('index.html has no #app element');
const heading = document.createElement('h1');
heading.textContent = '绣花 · 现场作业';
const statusLine = document.createElement('p');
statusLine.textContent = '正在连接接口…';
app.append(heading, statusLine);
fetch('/v1/openapi.json', { headers: { 'accept-language': 'zh-CN' } })
  .then((r) => { statusLine.textContent = r.ok ? '接口已连接（/v1）' : `接口错误：HTTP ${r.status}`; })
  .catch((e: unknown) => { statusLine.textContent = `接口不可达：${String(e)}`; });
