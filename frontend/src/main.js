// Entry point: registers stores, components and the $t magic, then starts Alpine once.
// The CSP build of Alpine evaluates template expressions without eval(), so templates stick to
// property reads and method calls; anything more lives in the components below.
import Alpine from '@alpinejs/csp'
import { translate } from './i18n/index.js'
import settings, { applyTheme } from './stores/settings.js'
import system from './stores/system.js'
import history from './stores/history.js'
import tasks from './stores/tasks.js'
import queue from './stores/queue.js'
import toasts from './stores/toasts.js'
import ui from './stores/ui.js'
import presets from './stores/presets.js'
import generator from './components/generator.js'
import imageGrid from './components/image-grid.js'
import lightbox from './components/lightbox.js'
import imageEditor from './components/image-editor.js'
import taskList from './components/task-list.js'
import historyPanel from './components/history-panel.js'
import statusBar from './components/status-bar.js'
import toastStack from './components/toasts.js'
import loginDialog from './components/login-dialog.js'
import { langToggle, themeToggle } from './components/toggles.js'
import settingsDialog from './components/settings-dialog.js'
import helpDialog from './components/help-dialog.js'
import topBar from './components/top-bar.js'
import quickPresets from './components/quick-presets.js'
import usageDialog from './components/usage-dialog.js'
import usersDialog from './components/users-dialog.js'
import session from './stores/session.js'
import { isEditable } from './focus.js'

// Before anything else, so the first paint is already in the right theme.
applyTheme(settings.theme)

// Reading the store's lang inside $t makes every translated binding re-render on a language switch.
Alpine.magic('t', () => (key, params) => translate(Alpine.store('settings').lang, key, params))

Alpine.store('settings', settings)
Alpine.store('toasts', toasts)
Alpine.store('ui', ui)
Alpine.store('presets', presets)
Alpine.store('system', system)
Alpine.store('session', session)
// history and queue before tasks: the tasks store's event stream hands finished tasks to the history
// and queue changes to the queue.
Alpine.store('history', history)
Alpine.store('queue', queue)
Alpine.store('tasks', tasks)

Alpine.data('generator', generator)
Alpine.data('imageGrid', imageGrid)
Alpine.data('lightbox', lightbox)
Alpine.data('imageEditor', imageEditor)
Alpine.data('taskList', taskList)
Alpine.data('historyPanel', historyPanel)
Alpine.data('statusBar', statusBar)
Alpine.data('toastStack', toastStack)
Alpine.data('loginDialog', loginDialog)
Alpine.data('themeToggle', themeToggle)
Alpine.data('langToggle', langToggle)
Alpine.data('settingsDialog', settingsDialog)
Alpine.data('helpDialog', helpDialog)
Alpine.data('topBar', topBar)
Alpine.data('quickPresets', quickPresets)
Alpine.data('usageDialog', usageDialog)
Alpine.data('usersDialog', usersDialog)

// Page-wide shortcuts. Ctrl/⌘+Enter generates from anywhere outside a dialog (the form handles it
// itself when focus is inside it); /, ? and U never while typing in a field or with a modifier held.
// ←/→ belong to the lightbox, Esc to each dialog.
document.addEventListener('keydown', (event) => {
  const ui = Alpine.store('ui')
  const modal = ui.dialog !== null || ui.lightboxOpen
  if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
    if (modal || event.target.closest?.('[data-generator]')) return
    event.preventDefault()
    window.dispatchEvent(new CustomEvent('generate-shortcut'))
    return
  }
  if (event.ctrlKey || event.metaKey || event.altKey || isEditable(event.target) || ui.lightboxOpen) return
  if (event.key === '/' && ui.dialog === null) {
    event.preventDefault()
    ui.closeDrawer()
    document.getElementById('prompt')?.focus()
  } else if (event.key === '?') {
    event.preventDefault()
    ui.openDialog('help')
  } else if ((event.key === 'u' || event.key === 'U') && ui.dialog === null) {
    event.preventDefault()
    ui.closeDrawer()
    ui.openDialog('usage')
  }
})

Alpine.start()
