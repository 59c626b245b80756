// Import (#/editor/import): choose files (a CSV folder, or one JSON / YAML / CASE file, or a zip of sheets), see
// what would change, then apply it in one commit. Export: one download per format.
import { h, announce } from '../dom.js';
import { ApiError, SERVER_DOWN, token } from '../api.js';
import { changed, confirmDialog, refusal } from './common.js';

const KIND_NAMES = {
  framework: 'Framework and scale', competencies: 'Competencies', indicators: 'Indicators', families: 'Job families',
  tracks: 'Tracks', levels: 'Levels', roles: 'Roles', requirements: 'Requirements', moves: 'Moves',
  resources: 'Learning resources', people: 'People', assessments: 'Assessments', plans: 'Saved plans',
};

async function call(url, init = {}) {
  let response;
  try {
    response = await fetch(url, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token() ?? ''}` } });
  } catch {
    throw new ApiError(SERVER_DOWN, 'The Trellis server is not answering: it may be down or restarting.');
  }
  if (!response.ok) {
    let body = null;
    try { body = await response.json(); } catch { /* not JSON */ }
    const error = new ApiError(body?.error?.code ?? (response.status === 413 ? 'TOO_LARGE' : 'ERROR'),
      body?.error?.message ?? `The server answered HTTP ${response.status}.`, { status: response.status });
    error.problems = body?.error?.problems ?? [];
    throw error;
  }
  return response;
}

function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

async function readFiles(list) {
  return Promise.all([...list].map(async (file) => (/\.zip$/i.test(file.name)
    ? { name: file.name, encoding: 'base64', content: base64(await file.arrayBuffer()) }
    : { name: file.name, content: await file.text() })));
}

function changesTable(preview) {
  const rows = Object.entries(preview.changes);
  return h('table', { class: 'data', id: 'import-changes' },
    h('caption', {}, 'What the import changes'),
    h('thead', {}, h('tr', {}, ['What', 'Added', 'Changed', 'Removed', 'After the import'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map(([kind, c]) => h('tr', { dataset: { kind }, class: c.added + c.changed + c.removed ? 'has-changes' : 'no-changes' },
      h('th', { scope: 'row' }, KIND_NAMES[kind] ?? kind),
      h('td', { class: 'num', dataset: { col: 'added' } }, String(c.added)),
      h('td', { class: 'num', dataset: { col: 'changed' } }, String(c.changed)),
      h('td', { class: 'num', dataset: { col: 'removed' } }, String(c.removed)),
      h('td', { class: 'num' }, kind === 'framework' ? '' : String(preview.counts[kind] ?? ''))))));
}

export default {
  async render(ctx) {
    const files = h('input', { type: 'file', id: 'import-files', multiple: true, accept: '.json,.yaml,.yml,.csv,.zip' });
    const folder = h('input', { type: 'file', id: 'import-folder', webkitdirectory: true, multiple: true });
    const format = h('select', { id: 'import-format' }, [['', 'Guess from the files'], ['json', 'JSON (Trellis document)'],
      ['yaml', 'YAML (Trellis document)'], ['csv', 'CSV sheets'], ['case', 'CASE 1.0 (framework only)']].map(([v, t]) => h('option', { value: v }, t)));
    const previewButton = h('button', { type: 'button', class: 'button' }, 'Preview the import');
    const result = h('div', { class: 'import-result', id: 'import-result', 'aria-live': 'polite' });
    let chosen = null;
    const pick = (input) => () => { chosen = input.files; result.replaceChildren(); if (input === files) folder.value = ''; else files.value = ''; };
    files.addEventListener('change', pick(files));
    folder.addEventListener('change', pick(folder));

    async function body() {
      if (!chosen?.length) throw Object.assign(new ApiError('BAD_INPUT', 'Choose a file or a folder first.'), { problems: [] });
      const list = [...chosen].filter((f) => !f.name.startsWith('.'));
      return JSON.stringify({ format: format.value || null, files: await readFiles(list) });
    }

    previewButton.addEventListener('click', async () => {
      result.replaceChildren(h('p', { class: 'status loading', role: 'status' }, 'Reading the files…'));
      previewButton.disabled = true;
      let payload;
      try {
        payload = await body();
        const preview = await (await call('/api/import/preview', { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload })).json();
        const apply = h('button', { type: 'button', class: 'button', id: 'import-apply' }, 'Apply the import');
        const total = Object.values(preview.changes).reduce((s, c) => s + c.added + c.changed + c.removed, 0);
        result.replaceChildren(
          h('h3', {}, 'Preview'),
          h('p', { id: 'import-summary' }, `${preview.files.length} ${preview.files.length === 1 ? 'file' : 'files'} read as ${preview.format.toUpperCase()}. `,
            preview.mode === 'framework' ? 'This is a framework only: it replaces the framework, scale and competencies and keeps roles, people and the rest. '
              : 'It replaces the whole organisation with what the files hold. ',
            total ? `${total} changes in all.` : 'Nothing would change.',
            ` After it, the framework checks find ${preview.issues.errors} errors and ${preview.issues.warnings} warnings.`),
          changesTable(preview),
          preview.notes.length || preview.skipped.length ? h('ul', { class: 'small' }, [...preview.notes, ...preview.skipped.map((s) => `Skipped: ${s}`)].map((t) => h('li', {}, t))) : null,
          h('p', { class: 'form-foot' }, apply, ' ', h('span', { class: 'hint' }, 'Nothing is saved until you apply it.')));
        apply.addEventListener('click', async () => {
          if (!await confirmDialog({ title: 'Apply this import?', message: `${total} changes will be saved in one go (and recorded in the audit trail).`, confirmLabel: 'Apply the import', danger: false })) return;
          apply.disabled = true;
          try {
            const done = await (await call('/api/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload })).json();
            const counts = done.counts;
            result.append(h('p', { class: 'form-done', role: 'status', id: 'import-done' },
              `✓ Imported: the organisation now has ${counts.roles} roles, ${counts.competencies} competencies, ${counts.requirements} requirements and ${counts.people} people.`));
            announce('The import was applied.');
            changed();
          } catch (error) {
            result.append(refusal(error));
            apply.disabled = false;
          }
        });
        announce(`Preview ready: ${total} changes.`);
      } catch (error) {
        result.replaceChildren(refusal(error, { id: 'import-files-error' }));
        files.setAttribute('aria-invalid', 'true');
        announce(`The files cannot be imported: ${error.message}`);
      } finally {
        previewButton.disabled = false;
      }
    });

    const downloadStatus = h('p', { class: 'small', id: 'export-status', 'aria-live': 'polite' });
    const download = (fmt, label) => {
      const button = h('button', { type: 'button', class: 'button secondary', dataset: { format: fmt } }, label);
      button.addEventListener('click', async () => {
        downloadStatus.replaceChildren(`Preparing the ${fmt.toUpperCase()} export…`);
        try {
          const response = await call(`/api/export?format=${fmt}`);
          const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `trellis.${fmt}`;
          const url = URL.createObjectURL(await response.blob());
          const a = h('a', { href: url, download: name, hidden: true });
          document.body.append(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10_000);
          downloadStatus.replaceChildren(`✓ Downloaded ${name}.`);
        } catch (error) {
          downloadStatus.replaceChildren(refusal(error));
        }
      });
      return button;
    };

    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'import-title' },
      h('h2', { id: 'import-title' }, 'Import'),
      h('p', { class: 'intro' }, 'Bring in a whole organisation (a JSON or YAML document, or the CSV sheets), or just a competency '
        + 'framework (a CASE file). You will see what changes before anything is saved; a file with mistakes is refused with every problem listed.'),
      h('div', { class: 'field' }, h('label', { for: 'import-files' }, 'Files (one JSON, YAML or CASE file, a zip of CSV sheets, or the CSV sheets themselves)'), files),
      h('div', { class: 'field' }, h('label', { for: 'import-folder' }, 'Or a folder of CSV sheets'), folder),
      h('div', { class: 'field' }, h('label', { for: 'import-format' }, 'Format'), format),
      h('p', { class: 'form-foot' }, previewButton), result));
    ctx.main.append(h('section', { class: 'panel', 'aria-labelledby': 'export-title' },
      h('h2', { id: 'export-title' }, 'Export'),
      h('p', { class: 'intro' }, 'Download the organisation as it is now.'),
      h('p', { class: 'actions export-buttons' }, download('json', 'Download JSON'), ' ', download('yaml', 'Download YAML'), ' ',
        download('csv', 'Download CSV sheets (zip)'), ' ', download('case', 'Download CASE framework')),
      downloadStatus));
  },
};
