package main

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sportello/sportello/adapters/memory"
)

// exported returns the names of the metrics the binary's /metrics
// exports, those of vectors not observed yet included.
func exported(t *testing.T) []string {
	t.Helper()
	s, err := newServer(context.Background(), e2eConfig(), func(string) string { return "" }, shopBot(t, false), testLog(t),
		deps{store: memory.NewStore()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.close)
	return s.metrics.Names()
}

// promQLWords are PromQL's own words: functions, aggregations, keywords.
var promQLWords = map[string]bool{
	"sum": true, "min": true, "max": true, "avg": true, "count": true, "by": true, "without": true,
	"rate": true, "irate": true, "increase": true, "histogram_quantile": true, "absent": true,
	"on": true, "ignoring": true, "group_left": true, "group_right": true, "bool": true,
	"and": true, "or": true, "unless": true, "offset": true, "topk": true, "bottomk": true,
	"delta": true, "deriv": true, "time": true, "vector": true, "clamp_min": true, "clamp_max": true,
}

// prometheusOwn are series Prometheus makes itself for every target.
var prometheusOwn = []string{"up"}

var (
	stringRE   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	matchersRE = regexp.MustCompile(`\{[^}]*\}`)
	groupingRE = regexp.MustCompile(`\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	rangeRE    = regexp.MustCompile(`\[[^\]]*\]`)
	varRE      = regexp.MustCompile(`\$\{?[A-Za-z_]+\}?`)
	wordRE     = regexp.MustCompile(`[A-Za-z_:][A-Za-z0-9_:]*`)
)

// metricNames returns the metric names a PromQL expression reads.
func metricNames(expr string) []string {
	e := varRE.ReplaceAllString(expr, "")
	e = stringRE.ReplaceAllString(e, `""`)
	e = matchersRE.ReplaceAllString(e, "")
	e = groupingRE.ReplaceAllString(e, "")
	e = rangeRE.ReplaceAllString(e, "")
	var names []string
	for _, loc := range wordRE.FindAllStringIndex(e, -1) {
		w := e[loc[0]:loc[1]]
		if promQLWords[w] || strings.HasPrefix(strings.TrimSpace(e[loc[1]:]), "(") {
			continue
		}
		names = append(names, w)
	}
	return names
}

// knows reports whether name is exported, as a series of its own or as
// a histogram's _bucket, _sum or _count.
func knows(names []string, name string) bool {
	if slices.Contains(names, name) || slices.Contains(prometheusOwn, name) {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && slices.Contains(names, base) {
			return true
		}
	}
	return false
}

// dashboardExprs returns the PromQL of every panel of the Grafana
// dashboard, rows' panels included.
func dashboardExprs(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../docs/metrics-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	type panel struct {
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
		Panels []json.RawMessage `json:"panels"`
	}
	var d struct {
		Panels []json.RawMessage `json:"panels"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("docs/metrics-dashboard.json: %v", err)
	}
	out := map[string]string{}
	var walk func(raw []json.RawMessage)
	walk = func(raw []json.RawMessage) {
		for _, r := range raw {
			var p panel
			if err := json.Unmarshal(r, &p); err != nil {
				t.Fatalf("docs/metrics-dashboard.json: a panel: %v", err)
			}
			for i, tg := range p.Targets {
				out[p.Title+" #"+string(rune('A'+i))] = tg.Expr
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	return out
}

// alertExprs returns the expression of every alerting rule.
func alertExprs(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../docs/metrics-alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("docs/metrics-alerts.yaml: %v", err)
	}
	out := map[string]string{}
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			out[r.Alert] = r.Expr
		}
	}
	return out
}

// TestDashboardAndAlertsReadOnlyExportedMetrics: a panel or an alert on a
// metric the binary does not export shows nothing and never fires, and
// nobody notices until the day it should have.
func TestDashboardAndAlertsReadOnlyExportedMetrics(t *testing.T) {
	names := exported(t)
	for file, exprs := range map[string]map[string]string{
		"docs/metrics-dashboard.json": dashboardExprs(t),
		"docs/metrics-alerts.yaml":    alertExprs(t),
	} {
		if len(exprs) < 10 {
			t.Fatalf("%s: %d expressions read; the test reads the file wrong", file, len(exprs))
		}
		for where, expr := range exprs {
			read := metricNames(expr)
			if len(read) == 0 {
				t.Errorf("%s: %s reads no metric: %q", file, where, expr)
			}
			for _, n := range read {
				if !knows(names, n) {
					t.Errorf("%s: %s reads %s, which the binary does not export", file, where, n)
				}
			}
		}
	}
}

// TestMetricNamesAreReadFromPromQL: the reading of names the test above
// relies on.
func TestMetricNamesAreReadFromPromQL(t *testing.T) {
	for expr, want := range map[string]string{
		`sum by (team, step) (increase(sportello_cases_total{kind!~"a|b",x="by (y)"}[1h]))`:                            "sportello_cases_total",
		`histogram_quantile(0.95, sum by (le) (rate(sportello_handle_duration_seconds_bucket[$__rate_interval]))) > 5`: "sportello_handle_duration_seconds_bucket",
		`sum(rate(a_total[5m])) / sum by (api) (rate(b_total[5m])) > 0.2`:                                              "a_total b_total",
		`up{job="sportello"} == 0`: "up",
	} {
		if got := strings.Join(metricNames(expr), " "); got != want {
			t.Errorf("metricNames(%q) = %q, want %q", expr, got, want)
		}
	}
}

// TestEveryMetricIsDocumented: docs/metrics.md names every metric of
// Sportello's own the binary exports.
func TestEveryMetricIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range exported(t) {
		if strings.HasPrefix(n, "sportello_") && !strings.Contains(string(doc), "`"+n+"`") {
			t.Errorf("docs/metrics.md does not describe %s", n)
		}
	}
}
