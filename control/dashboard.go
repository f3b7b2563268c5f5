package control

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
)

// The dashboard: a web page at / over the API (GET /api/v1/... with fetch,
// GET /api/v1/stream with EventSource), its assets embedded; no build
// step, nothing fetched from outside the lab's server.

//go:embed web
var webFiles embed.FS

// dashboardPage is web/index.html; its data is the assets' prefix.
var dashboardPage = template.Must(template.ParseFS(webFiles, "web/index.html"))

// dashboardAssets is where the page's script, style sheet and icon are
// served.
const dashboardAssets = "/dashboard/"

// serveDashboard registers the page at / and its assets under
// /dashboard/ on mux.
func serveDashboard(mux *http.ServeMux) {
	assets, _ := fs.Sub(webFiles, "web")
	mux.Handle("GET "+dashboardAssets, http.StripPrefix(dashboardAssets, http.FileServerFS(assets)))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'")
		_ = dashboardPage.Execute(w, struct{ Assets string }{dashboardAssets})
	})
}
