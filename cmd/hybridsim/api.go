package main

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/hybridsim/hybridsim/sim"
)

// apiHandler is serve's control API, under /api/v1: for now GET /health
// (200 with the lab clock once every listener accepts, which they do
// before the API serves) and GET /manifest (manifest.json's document).
func apiHandler(serving *sim.Serving) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/health", func(w http.ResponseWriter, r *http.Request) {
		writeAPI(w, struct {
			Status string    `json:"status"`
			Clock  time.Time `json:"clock"`
		}{"ok", serving.Lab().Now()})
	})
	mux.HandleFunc("GET /api/v1/manifest", func(w http.ResponseWriter, r *http.Request) {
		writeAPI(w, serving.Manifest())
	})
	return mux
}

func writeAPI(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
