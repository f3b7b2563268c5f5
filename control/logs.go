package control

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"

	"github.com/hybridsim/hybridsim/sim"
)

// logDir is the directory the logs are read from: Config.LogDir, or the
// handler's own, where it writes the lab's logs first.
func (h *Handler) logDir() (string, error) {
	if h.cfg.LogDir != "" {
		return h.cfg.LogDir, nil
	}
	h.logsMu.Lock()
	defer h.logsMu.Unlock()
	if h.ownLogs == "" {
		dir, err := os.MkdirTemp("", "hybridsim-logs-")
		if err != nil {
			return "", fmt.Errorf("control: a directory for the logs: %w", err)
		}
		h.ownLogs = dir
	}
	dir := h.ownLogs
	err := h.read(func(l *sim.Lab) error {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		return l.WriteLogs(dir)
	})
	return dir, err
}

// logList answers the log files, as paths under /api/v1/logs/.
func (h *Handler) logList(w http.ResponseWriter, r *http.Request) {
	dir, err := h.logDir()
	if err != nil {
		fail(w, err)
		return
	}
	files := []string{}
	err = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		fail(w, err)
		return
	}
	writeJSON(w, files)
}

// logFile answers one log file as written.
func (h *Handler) logFile(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("path")
	if !fs.ValidPath(p) || strings.Contains(p, `\`) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("control: log path %q: give a path GET /api/v1/logs lists", p))
		return
	}
	dir, err := h.logDir()
	if err != nil {
		fail(w, err)
		return
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		fail(w, err)
		return
	}
	defer root.Close()
	data, err := root.ReadFile(p)
	if err != nil {
		writeError(w, http.StatusNotFound, fmt.Sprintf("control: no log file %q: GET /api/v1/logs lists them", p))
		return
	}
	ctype := "text/plain; charset=utf-8"
	if path.Ext(p) == ".json" {
		ctype = "application/json"
	}
	w.Header().Set("Content-Type", ctype)
	_, _ = w.Write(data)
}
