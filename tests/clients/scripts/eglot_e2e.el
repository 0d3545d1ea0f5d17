;;; eglot_e2e.el --- drive Emacs + eglot against cerebrium-lsp in batch mode  -*- lexical-binding: t -*-

;; Run as: emacs --batch -q -l <init.el from docs/editors.md> -l eglot_e2e.el
;; The user configuration attaches eglot, exactly as a user's init.el would; this script then
;; opens TARGET, waits for the Flymake diagnostics, completes inside `compute = ""' with eglot's
;; completion-at-point, asks for hover on `python_version', runs the documented
;; `cerebrium-build-plan' command, deletes and restores main.py (file watching) and writes what
;; Emacs received to OUT as JSON.
;; Completion, hover and the build plan are independent steps: a failing one is recorded in
;; `errors' for its test. Exit 0 once eglot connected and diagnostics arrived (the pytest tests
;; assert on the content), 1 otherwise.
;; Env: TARGET, OUT, STEP_TIMEOUT_S.

(require 'json)
(require 'cl-lib)
(require 'subr-x)

(declare-function cerebrium-build-plan "init")  ; from the documented init snippet

(defvar e2e-result nil "Alist written to OUT.")
(defvar e2e-started (float-time))
(defvar e2e-step-timeout (string-to-number (or (getenv "STEP_TIMEOUT_S") "15")))

(defun e2e-put (key value)
  (setq e2e-result (cons (cons key value) (assq-delete-all key e2e-result))))

(defun e2e-mark (step)
  (let ((timings (alist-get 'timings e2e-result)))
    (e2e-put 'timings (cons (cons step (round (* 1000 (- (float-time) e2e-started)))) timings))))

(defun e2e-finish (ok &optional error)
  (e2e-put 'ok (if ok t :json-false))
  (when error (e2e-put 'error error))
  (with-temp-file (getenv "OUT")
    (insert (json-encode e2e-result)))
  (kill-emacs (if ok 0 1)))

(defmacro e2e-step (name &rest body)
  "Run BODY, recording an error under errors.NAME for its test.
The other steps still run."
  (declare (indent 1))
  `(progn
     (condition-case err
         (progn ,@body)
       (error (e2e-put 'errors (cons (cons ',name (error-message-string err))
                                     (alist-get 'errors e2e-result)))))
     (e2e-mark ',name)))

(defun e2e-wait (predicate what)
  "Run the event loop until PREDICATE returns non-nil; WHAT names it.
Also runs `post-command-hook', which batch mode never does."
  (let ((deadline (+ (float-time) e2e-step-timeout)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (run-hooks 'post-command-hook) ; eglot-ensure connects from post-command-hook
      (accept-process-output nil 0.05))
    (or value (error "Timed out waiting for %s" what))))

(defun e2e-wait-with-file-events (predicate what)
  "Like `e2e-wait', also delivering file-notify events.
In batch mode they reach their handlers only through `read-event', as in Emacs's own
filenotify tests."
  (let ((deadline (+ (float-time) e2e-step-timeout)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (read-event nil nil 0.02)
      (accept-process-output nil 0.03))
    (or value (error "Timed out waiting for %s" what))))

(defun e2e-position-of (needle offset)
  "Move point to OFFSET characters into the first NEEDLE in the buffer."
  (goto-char (point-min))
  (unless (search-forward needle nil t)
    (error "Not in the buffer: %s" needle))
  (goto-char (+ (match-beginning 0) offset)))

(defun e2e-line-col (pos)
  (save-excursion
    (goto-char pos)
    (vector (1- (line-number-at-pos pos)) (current-column))))

(defun e2e-main ()
  (e2e-put 'emacs emacs-version)
  (e2e-put 'eglot (if (boundp 'eglot-version) eglot-version
                    (when-let ((lib (locate-library "eglot")))
                      (file-name-nondirectory (directory-file-name (file-name-directory lib))))))
  (find-file (getenv "TARGET"))
  (e2e-put 'major_mode (symbol-name major-mode))
  ;; 1. The user configuration started eglot for this buffer.
  (let ((server (e2e-wait #'eglot-current-server "eglot to connect")))
    (e2e-put 'server (eglot--project-nickname server))
    (e2e-mark 'attached)
    ;; 2. Diagnostics, as Flymake holds them.
    (e2e-wait #'flymake-diagnostics "diagnostics")
    (e2e-put 'diagnostics
             (vconcat
              (mapcar (lambda (d)
                        (let ((lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d))))
                          `((start . ,(e2e-line-col (flymake-diagnostic-beg d)))
                            (end . ,(e2e-line-col (flymake-diagnostic-end d)))
                            (type . ,(symbol-name (flymake-diagnostic-type d)))
                            (text . ,(flymake-diagnostic-text d))
                            (code . ,(plist-get lsp :code))
                            (source . ,(plist-get lsp :source)))))
                      (flymake-diagnostics))))
    (e2e-mark 'diagnostics)
    ;; 3. Completion inside the quotes of compute = "", through eglot's completion-at-point.
    (e2e-step completion
      (e2e-position-of "compute = \"\"" (length "compute = \""))
      (let* ((capf (eglot-completion-at-point))
             (table (nth 2 capf))
             (candidates (all-completions "" table)))
        (e2e-put 'completion
                 (vconcat (mapcar (lambda (c)
                                    (let ((item (get-text-property 0 'eglot--lsp-item c)))
                                      (if item (plist-get item :label)
                                        (substring-no-properties c))))
                                  candidates)))))
    ;; 4. Hover on python_version.
    (e2e-step hover
      (e2e-position-of "python_version" 2)
      (let* ((hover (jsonrpc-request server :textDocument/hover
                                     (eglot--TextDocumentPositionParams)))
             (contents (plist-get hover :contents)))
        (e2e-put 'hover (cond ((stringp contents) contents)
                              ((plist-get contents :value))
                              (t (format "%S" contents))))))
    ;; 5. The documented command shows the build plan in a buffer.
    (e2e-step build_plan
      (let ((toml (current-buffer)))
        (cerebrium-build-plan)
        (let ((plan (e2e-wait
                     (lambda ()
                       (cl-find-if (lambda (b)
                                     (and (not (eq b toml))
                                          ;; not internal buffers such as " *load*"
                                          (not (string-prefix-p " " (buffer-name b)))
                                          ;; a buffer that is the plan (not a log of it)
                                          (with-current-buffer b
                                            (save-excursion
                                              (goto-char (point-min))
                                              (looking-at "# Build plan")))))
                                   (buffer-list)))
                     "the build plan buffer")))
          (e2e-put 'build_plan
                   `((name . ,(buffer-name plan))
                     (text . ,(with-current-buffer plan
                                (buffer-substring-no-properties (point-min) (point-max)))))))))
    ;; 6. Files the config reads are watched (eglot registers the server's `**/*' watcher with
    ;; file-notify): deleting main.py brings `missing-file' without an edit, restoring it clears it.
    (e2e-step watched_files
      (let* ((toml (find-buffer-visiting (getenv "TARGET")))
             (main (expand-file-name "main.py" (file-name-directory (getenv "TARGET"))))
             (content (with-temp-buffer (insert-file-contents main) (buffer-string)))
             (missing (lambda ()
                        (with-current-buffer toml
                          (cl-some (lambda (d)
                                     (equal "missing-file"
                                            (plist-get (alist-get 'eglot-lsp-diag
                                                                  (flymake-diagnostic-data d))
                                                       :code)))
                                   (flymake-diagnostics))))))
        (unwind-protect
            (progn
              (delete-file main)
              (e2e-wait-with-file-events missing "missing-file after deleting main.py")
              (e2e-mark 'main_deleted))
          (with-temp-file main (insert content)))
        (e2e-wait-with-file-events (lambda () (not (funcall missing)))
                                   "missing-file to clear after restoring main.py")
        (e2e-put 'watched_files t)))
    (e2e-finish t)))

(condition-case err
    (e2e-main)
  (error (e2e-finish nil (error-message-string err))))

;;; eglot_e2e.el ends here
