// Streams a chat completion from the shield and shows refusals and content filtering plainly.
const $ = (id) => document.getElementById(id);
const history = [];

function bubble(kind, text) {
  const el = document.createElement('div');
  el.className = `msg ${kind}`;
  el.textContent = text;
  $('log').append(el);
  return el;
}

async function send(prompt) {
  history.push({ role: 'user', content: prompt });
  bubble('user', prompt);
  const out = bubble('assistant', '');
  const res = await fetch('/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${$('key').value}` },
    body: JSON.stringify({ messages: history, stream: true }),
  });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    const e = body.error || {};
    out.className = 'msg refused';
    out.textContent = `Refused (${res.status} ${e.code || 'error'}): ${e.message || res.statusText}`;
    history.pop();
    return;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join('\n');
      if (!data || data === '[DONE]') continue;
      const chunk = JSON.parse(data);
      if (chunk.error) {
        out.className = 'msg refused';
        out.textContent = `${text ? `${text}\n\n` : ''}Stream error (${chunk.error.code}): ${chunk.error.message}`;
        return;
      }
      const choice = chunk.choices && chunk.choices[0];
      if (!choice) continue;
      if (choice.delta && choice.delta.content) {
        text += choice.delta.content;
        out.textContent = text;
      }
      if (choice.finish_reason === 'content_filter') {
        out.className = 'msg filtered';
        out.textContent = `${text ? `${text}\n\n` : ''}[content_filter] ${text ? 'The rest of this' : 'This'} answer was withheld by the output filter.`;
      }
    }
  }
  history.push({ role: 'assistant', content: text });
}

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const prompt = $('prompt').value.trim();
  if (!prompt) return;
  $('prompt').value = '';
  $('send').disabled = true;
  try {
    await send(prompt);
  } catch (err) {
    bubble('refused', `Network error: ${err.message}`);
  } finally {
    $('send').disabled = false;
  }
});
