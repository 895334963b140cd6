/* global document, window, location, HTMLElement, HTMLTextAreaElement, HTMLInputElement */
// Lateral's only script besides htmx. Pages work without it; this adds keyboard shortcuts,
// search-result navigation and image paste/drop in the editor. Everything is delegated from
// `document`, so content that htmx swaps in works without re-binding.
(function () {
  'use strict';

  // Controls that only work with this script (image picker) are shown once it runs.
  document.documentElement.classList.add('js');

  const csrfToken = () =>
    document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';

  function isTyping(target) {
    if (!(target instanceof HTMLElement)) return false;
    return target.isContentEditable || /^(?:INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  function go(url) {
    const link = document.createElement('a');
    link.href = url;
    // A link inside <body> is boosted by htmx when it is loaded; a plain navigation otherwise.
    link.hidden = true;
    document.body.appendChild(link);
    if (window.htmx) window.htmx.process(link);
    link.click();
    link.remove();
  }

  // Keyboard shortcuts: n = new page, / = search, Ctrl/Cmd+S = save in the editor.
  document.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
      const form = document.querySelector('form[data-editor]');
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    if (event.key === '/') {
      const search =
        document.querySelector('#search-page-input') ??
        document.querySelector('#header-search-input');
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    } else if (event.key === 'n' && document.body.dataset.canEdit === 'true') {
      event.preventDefault();
      go('/new');
    }
  });

  // Search results: arrow keys move the selection, Enter opens it, Escape leaves the box.
  function results() {
    return [...document.querySelectorAll('#search-results [data-result]')];
  }
  function select(items, index) {
    items.forEach((item, i) => item.setAttribute('aria-selected', String(i === index)));
    const chosen = items[index];
    const input = document.querySelector('#search-page-input');
    if (chosen && input) input.setAttribute('aria-activedescendant', chosen.id);
    chosen?.scrollIntoView({ block: 'nearest' });
  }
  document.addEventListener('keydown', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.id !== 'search-page-input') return;
    const items = results();
    const current = items.findIndex((item) => item.getAttribute('aria-selected') === 'true');
    if (event.key === 'ArrowDown' && items.length) {
      event.preventDefault();
      select(items, Math.min(current + 1, items.length - 1));
    } else if (event.key === 'ArrowUp' && items.length) {
      event.preventDefault();
      select(items, Math.max(current - 1, 0));
    } else if (event.key === 'Enter' && current >= 0) {
      event.preventDefault();
      items[current].querySelector('a')?.click();
    } else if (event.key === 'Escape') {
      input.blur();
    }
  });

  // After htmx replaces the main column: start at the top and move focus for screen readers.
  document.addEventListener('htmx:after:swap', (event) => {
    const target = event.detail?.ctx?.target;
    if (!(target instanceof HTMLElement) || target.id !== 'main') return;
    window.scrollTo(0, 0);
    const autofocus = target.querySelector('[autofocus]');
    (autofocus ?? target).focus({ preventScroll: true });
    document.querySelectorAll('.site-nav a').forEach((link) => {
      const active = location.pathname === link.getAttribute('href');
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    });
    // The header is not swapped, so the phone menu a link was followed from would stay open.
    closePhoneMenu();
  });

  function closePhoneMenu() {
    document.querySelectorAll('details.phone-menu[open]').forEach((menu) => {
      menu.removeAttribute('open');
    });
  }

  // A tap outside the open phone menu closes it, as people expect of a menu.
  document.addEventListener('click', (event) => {
    if (event.target instanceof HTMLElement && event.target.closest('details.phone-menu')) return;
    closePhoneMenu();
  });

  // Editor: unsaved text. Typing marks the form dirty; saving clears it. Leaving by a link asks
  // first and keeps the text as a draft (the autosave in the form may not have run yet); closing
  // or reloading the tab gets the browser's own "leave site?" question.
  const dirtyEditor = () => document.querySelector('form[data-editor][data-dirty]');
  document.addEventListener('input', (event) => {
    const form = event.target instanceof HTMLElement ? event.target.closest('form') : null;
    if (form?.matches('[data-editor]')) form.setAttribute('data-dirty', '');
  });
  document.addEventListener('submit', (event) => {
    if (event.target instanceof HTMLElement && event.target.matches('form[data-editor]'))
      event.target.removeAttribute('data-dirty');
  });
  window.addEventListener('beforeunload', (event) => {
    if (!dirtyEditor()) return;
    event.preventDefault();
    event.returnValue = '';
  });

  // Autosave and save in order. The autosave (htmx on #draft-status) and the save (the boosted
  // form) are two requests; an autosave still in flight when the save lands would store the
  // text as a draft again. So the save waits for an autosave in flight, and no autosave starts
  // once the form is being saved (notes also refuses a late draft of a page it can tell by
  // version; a new page has none). A refused save swaps in a fresh form, which autosaves again.
  let autosaveInFlight = null;
  let autosaveDone = () => undefined;
  document.addEventListener('htmx:before:request', (event) => {
    const source = event.target;
    const ctx = event.detail?.ctx;
    if (!(source instanceof HTMLElement) || !ctx) return;
    if (source.id === 'draft-status') {
      if (source.closest('form[data-saving]')) {
        event.preventDefault();
        return;
      }
      autosaveInFlight = new Promise((resolve) => {
        autosaveDone = resolve;
      });
    } else if (source.matches('form[data-editor]')) {
      source.setAttribute('data-saving', '');
      const pending = autosaveInFlight;
      const send = ctx.fetch;
      if (pending && send) ctx.fetch = (...args) => pending.then(() => send(...args));
    }
  });
  document.addEventListener('htmx:finally:request', (event) => {
    if (event.target instanceof HTMLElement && event.target.id === 'draft-status') {
      autosaveInFlight = null;
      autosaveDone();
    }
  });

  function saveDraft(form) {
    const url = form.getAttribute('data-draft-url');
    if (!url) return Promise.resolve();
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === 'string') body.append(name, value);
    }
    return fetch(url, {
      method: 'POST',
      body,
      keepalive: true,
      credentials: 'same-origin',
      headers: { 'x-csrf-token': csrfToken(), 'hx-request': 'true' },
    }).catch(() => undefined);
  }

  // Captured before htmx sees the click, so a boosted link waits for the answer too.
  document.addEventListener(
    'click',
    (event) => {
      const form = dirtyEditor();
      const link = event.target instanceof HTMLElement ? event.target.closest('a[href]') : null;
      if (!form || !link || link.closest('.draft-offer')) return;
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (
        !window.confirm('Leave the editor? Your changes are not saved; they are kept as a draft.')
      )
        return;
      form.removeAttribute('data-dirty');
      void saveDraft(form).then(() => go(link.href));
    },
    true,
  );

  // Editor: paste or drop images (HEIC too: media converts it) to upload and insert markdown.
  function insertAtCursor(textarea, text) {
    const start = textarea.selectionStart;
    const end = textarea.selectionEnd;
    textarea.setRangeText(text, start, end, 'end');
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function replacePlaceholder(textarea, placeholder, text) {
    const at = textarea.value.indexOf(placeholder);
    if (at < 0) return insertAtCursor(textarea, text);
    const caret = textarea.selectionStart;
    textarea.setRangeText(text, at, at + placeholder.length, 'preserve');
    if (caret > at)
      textarea.selectionStart = textarea.selectionEnd = caret + text.length - placeholder.length;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  }

  let uploads = 0;
  async function upload(textarea, file) {
    const status = document.querySelector('#upload-status');
    const placeholder = `![Uploading ${file.name || 'image'}… #${++uploads}]()`;
    insertAtCursor(textarea, placeholder);
    if (status) status.textContent = `Uploading ${file.name || 'image'}…`;
    const body = new FormData();
    body.append('file', file, file.name || 'pasted-image');
    try {
      const res = await fetch('/media/upload', {
        method: 'POST',
        body,
        headers: { 'x-csrf-token': csrfToken(), accept: 'application/json' },
        credentials: 'same-origin',
      });
      const answer = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(answer?.error?.message ?? `Upload failed (${res.status})`);
      replacePlaceholder(textarea, placeholder, answer.markdown);
      if (status) status.textContent = `Inserted ${file.name || 'image'}.`;
    } catch (error) {
      replacePlaceholder(textarea, placeholder, '');
      if (status) status.textContent = error instanceof Error ? error.message : 'Upload failed.';
    }
  }

  function imageFiles(list) {
    return [...(list ?? [])].filter(
      (file) => file.type.startsWith('image/') || /\.(?:heic|heif|avif|tiff?)$/i.test(file.name),
    );
  }

  document.addEventListener('paste', (event) => {
    const textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement) || !textarea.matches('[data-markdown]')) return;
    const files = imageFiles(event.clipboardData?.files);
    if (!files.length) return;
    event.preventDefault();
    for (const file of files) void upload(textarea, file);
  });

  document.addEventListener('dragover', (event) => {
    const zone =
      event.target instanceof HTMLElement ? event.target.closest('[data-dropzone]') : null;
    if (!zone) return;
    event.preventDefault();
    zone.classList.add('dropping');
  });
  document.addEventListener('dragleave', (event) => {
    const zone =
      event.target instanceof HTMLElement ? event.target.closest('[data-dropzone]') : null;
    zone?.classList.remove('dropping');
  });
  document.addEventListener('drop', (event) => {
    const zone =
      event.target instanceof HTMLElement ? event.target.closest('[data-dropzone]') : null;
    if (!zone) return;
    zone.classList.remove('dropping');
    const files = imageFiles(event.dataTransfer?.files);
    if (!files.length) return;
    event.preventDefault();
    const textarea = zone.querySelector('textarea[data-markdown]');
    if (textarea) for (const file of files) void upload(textarea, file);
  });

  document.addEventListener('change', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches('[data-image-picker]')) return;
    const textarea = document.querySelector('textarea[data-markdown]');
    if (textarea) for (const file of imageFiles(input.files)) void upload(textarea, file);
    input.value = '';
  });
})();
