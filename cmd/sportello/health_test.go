package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthAsksTheRunningServer(t *testing.T) {
	srv, err := newServer(t.Context(), e2eConfig(), func(string) string { return "" }, shopBot(t, true), testLog(t), deps{})
	if err != nil {
		t.Fatal(err)
	}
	base := start(t, srv)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(base, "http://"))

	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusServiceUnavailable)
	}))
	defer broken.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	for _, tc := range []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		want     string // in stdout or stderr
	}{
		{"the URL given", nil, []string{"--url", base + "/healthz"}, 0, "200 OK"},
		// The image's case: the listener on every address, asked on the
		// loopback one at the port of SPORTELLO_ADDR.
		{"the listener of SPORTELLO_ADDR", map[string]string{"SPORTELLO_ADDR": "0.0.0.0:" + port}, nil, 0, "http://127.0.0.1:" + port + "/healthz: 200 OK"},
		{"a server that answers 503", nil, []string{"--url", broken.URL + "/healthz"}, 1, "503 Service Unavailable"},
		{"no server", nil, []string{"--url", closed.URL + "/healthz"}, 1, "connection refused"},
		{"a configuration with a mistake", map[string]string{"SPORTELLO_ADDR": "0.0.0.0"}, nil, 1, "want host:port"},
		{"an argument", nil, []string{"now"}, 2, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runEnv(t, tc.env, append([]string{"health"}, tc.args...)...)
			if code != tc.wantCode || !strings.Contains(out+errs, tc.want) {
				t.Fatalf("exit %d, want %d and %q\n%s%s", code, tc.wantCode, tc.want, out, errs)
			}
		})
	}
}
