package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The packaging for operators (docs/deploy/) and the settings' list
// (settings.go), held together with the code that reads the variables and
// the docs that name them.

const repoRoot = "../.."

var deployDir = filepath.Join(repoRoot, "docs", "deploy")

// codeReads returns the variables the binary's code reads, each with a
// place that reads it: the literal names of every getenv, os.Getenv and
// os.LookupEnv call in the packages the binary is built from, the names
// loadConfig asks for (it asks from a table), and teamChannelEnv for the
// one computed name slackConfig asks for. A call the test cannot follow
// (a computed name elsewhere, getenv handed to a parameter of another
// name, os.Environ) fails the test: the list would be incomplete.
func codeReads(t *testing.T) map[string]string {
	t.Helper()
	files := binaryFiles(t)
	reads := map[string]string{}
	funcs := map[string][]*ast.FuncDecl{} // by name, to follow getenv into its callees
	for _, f := range files {
		for _, d := range f.ast.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				funcs[fd.Name.Name] = append(funcs[fd.Name.Name], fd)
			}
		}
	}
	// Where a computed name is fine, and why.
	computed := map[string]string{
		"loadConfig":   "asked for below, by calling it",
		"slackConfig":  teamChannelEnv,
		"row":          "config check: the variables of settings",
		"placeMistake": "config check: the variables of settings",
	}
	// Where os.Environ is fine: the environment handed on, not read.
	environ := map[string]string{"redisBenchmark": "redis-benchmark's environment"}
	isGetenv := func(e ast.Expr) bool {
		switch e := e.(type) {
		case *ast.Ident:
			return e.Name == "getenv"
		case *ast.SelectorExpr:
			return e.Sel.Name == "getenv" || e.Sel.Name == "Getenv" && isIdent(e.X, "os")
		}
		return false
	}
	for _, f := range files {
		for _, d := range f.ast.Decls {
			fn := ""
			if fd, ok := d.(*ast.FuncDecl); ok {
				fn = fd.Name.Name
			}
			ast.Inspect(d, func(n ast.Node) bool {
				if n == nil {
					return false
				}
				at := f.fset.Position(n.Pos()).String()
				switch n := n.(type) {
				case *ast.CallExpr:
					name := calleeName(n.Fun)
					switch {
					case name == "getenv" || name == "Getenv" || name == "LookupEnv":
						if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							v, _ := strconv.Unquote(lit.Value)
							reads[v] = at
						} else if why, ok := computed[fn]; ok {
							if why == teamChannelEnv {
								reads[teamChannelEnv] = at
							}
						} else {
							t.Errorf("%s: %s reads a variable whose name is computed: name it with a literal, or teach codeReads", at, fn)
						}
					case name == "Environ" && isIdent(n.Fun.(*ast.SelectorExpr).X, "os") && environ[fn] == "":
						t.Errorf("%s: os.Environ reads variables codeReads cannot see", at)
					}
					// getenv handed on: the callee's parameter must be
					// named getenv, so that its calls are found above.
					for i, arg := range n.Args {
						if !isGetenv(arg) {
							continue
						}
						decls := funcs[name]
						if len(decls) == 0 {
							t.Errorf("%s: getenv is handed to %s, which codeReads cannot follow", at, name)
						}
						for _, fd := range decls {
							if p := paramName(fd.Type, i); p != "getenv" {
								t.Errorf("%s: getenv is handed to %s as %q: name the parameter getenv", at, name, p)
							}
						}
					}
				case *ast.KeyValueExpr:
					if isGetenv(n.Value) && !isIdent(n.Key, "getenv") {
						t.Errorf("%s: getenv is stored as %s: name the field getenv", at, n.Key)
					}
				}
				return true
			})
		}
	}
	// loadConfig asks from a table: ask it.
	_, _ = loadConfig("", func(k string) string {
		reads[k] = "loadConfig"
		return ""
	})
	return reads
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func calleeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

// paramName returns the name of the i-th parameter of ft.
func paramName(ft *ast.FuncType, i int) string {
	for _, f := range ft.Params.List {
		if len(f.Names) == 0 {
			if i == 0 {
				return "_"
			}
			i--
			continue
		}
		for _, n := range f.Names {
			if i == 0 {
				return n.Name
			}
			i--
		}
	}
	return "..."
}

type goFile struct {
	fset *token.FileSet
	ast  *ast.File
}

// binaryFiles parses the files the binary is built from within this
// module: cmd/sportello and every package of the module it imports, as
// go build would pick them on this machine, tests left out.
func binaryFiles(t *testing.T) []goFile {
	t.Helper()
	mod := modulePath(t)
	fset := token.NewFileSet()
	var files []goFile
	seen := map[string]bool{}
	pending := []string{mod + "/cmd/sportello"}
	for len(pending) > 0 {
		pkg := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		if seen[pkg] {
			continue
		}
		seen[pkg] = true
		dir := filepath.Join(repoRoot, filepath.FromSlash(strings.TrimPrefix(pkg, mod)))
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(names) == 0 {
			t.Fatalf("package %s: no Go files in %s", pkg, dir)
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			if ok, err := build.Default.MatchFile(dir, filepath.Base(name)); err != nil || !ok {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, goFile{fset, f})
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if p == mod || strings.HasPrefix(p, mod+"/") {
					pending = append(pending, p)
				}
			}
		}
	}
	return files
}

func modulePath(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if m, ok := strings.CutPrefix(l, "module "); ok {
			return strings.TrimSpace(m)
		}
	}
	t.Fatal("go.mod names no module")
	return ""
}

// fileKeys returns the dotted keys of the configuration file, from the
// yaml tags of config: sections are walked, anything else is a key.
func fileKeys(typ reflect.Type, prefix string) []string {
	var keys []string
	for f := range typ.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		if f.Type.Kind() == reflect.Struct {
			keys = append(keys, fileKeys(f.Type, prefix+name+".")...)
			continue
		}
		keys = append(keys, prefix+name)
	}
	return keys
}

// settingsEnv returns the variables of the list; runtime ones too when
// runtime is true.
func settingsEnv(runtime bool) []string {
	var vars []string
	for _, s := range settings {
		if s.env != "" && (runtime || !s.runtime) {
			vars = append(vars, s.env)
		}
	}
	return vars
}

// isSetting tells whether the binary (or the Go runtime in it) reads the
// variable v: a variable of the list, or a team's Slack channel.
func isSetting(v string) bool {
	return slices.Contains(settingsEnv(true), v) || teamChannelRE.MatchString(v)
}

var teamChannelRE = regexp.MustCompile(`^SLACK_[A-Z0-9_]+_CHANNEL$`)

func TestSettingsAreWhatTheCodeReads(t *testing.T) {
	reads := codeReads(t)
	listed := settingsEnv(false)
	for _, v := range slices.Sorted(func(yield func(string) bool) {
		for v := range reads {
			if !yield(v) {
				return
			}
		}
	}) {
		if !slices.Contains(listed, v) {
			t.Errorf("%s reads %s, which settings (settings.go) does not list: add it there and to docs/configuration.md", reads[v], v)
		}
	}
	for _, v := range listed {
		if _, ok := reads[v]; !ok {
			t.Errorf("settings lists %s, which the code does not read (mark it runtime if the Go runtime does)", v)
		}
	}
	var keys []string
	for _, s := range settings {
		if s.key != "" {
			keys = append(keys, s.key)
		}
	}
	file := fileKeys(reflect.TypeFor[config](), "")
	for _, k := range file {
		if !slices.Contains(keys, k) {
			t.Errorf("the configuration file has the key %s, which settings (settings.go) does not list", k)
		}
	}
	for _, k := range keys {
		if !slices.Contains(file, k) {
			t.Errorf("settings lists the key %s, which the configuration file does not have", k)
		}
	}
	for _, s := range settings {
		if s.key != "" && s.key != "slack.channels" && s.show == nil {
			t.Errorf("the setting %s cannot be shown by config check (no show)", s.key)
		}
	}
}

// TestConfigurationPageListsEverySetting: docs/configuration.md has a row
// for each setting, with its file key and its variable, and no other; no
// page names a variable the binary does not read.
func TestConfigurationPageListsEverySetting(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	type docRow struct{ key, env string }
	var rows []docRow
	code := regexp.MustCompile("^`([^`]+)`$")
	for _, l := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(l, "| ") {
			continue
		}
		cells := strings.Split(strings.ReplaceAll(l, `\|`, "/"), "|")
		if len(cells) < 5 {
			continue
		}
		var r docRow
		if m := code.FindStringSubmatch(strings.TrimSpace(cells[1])); m != nil {
			r.key = m[1]
		}
		if m := code.FindStringSubmatch(strings.TrimSpace(cells[2])); m != nil {
			r.env = m[1]
		}
		if r.key != "" || r.env != "" {
			rows = append(rows, r)
		}
	}
	for _, s := range settings {
		if !slices.Contains(rows, docRow{s.key, s.env}) {
			t.Errorf("docs/configuration.md has no row | `%s` | `%s` |", s.key, s.env)
		}
	}
	for _, r := range rows {
		if s, ok := settingOf(r.env); !ok && r.env != "" || ok && s.key != r.key {
			t.Errorf("docs/configuration.md has a row | `%s` | `%s` | that settings (settings.go) does not", r.key, r.env)
		} else if s, ok := settingOf(r.key); !ok && r.key != "" || ok && s.env != r.env {
			t.Errorf("docs/configuration.md has a row | `%s` | `%s` | that settings (settings.go) does not", r.key, r.env)
		}
	}

	// The other pages name only variables the binary reads.
	pages, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	pages = append(pages, filepath.Join(repoRoot, "README.md"))
	named := regexp.MustCompile(`\b(?:SPORTELLO|REDIS|DATABASE|TELEGRAM|SLACK)_[A-Z0-9_]*[A-Z0-9]\b`)
	for _, p := range pages {
		if filepath.Base(p) == "benchmarks.md" {
			continue // it names the tests' own variables (SPORTELLO_BIG)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range named.FindAllString(string(data), -1) {
			if !isSetting(v) {
				t.Errorf("%s names %s, which the binary does not read", p, v)
			}
		}
	}
}

// A dockerInstr is one instruction of a Dockerfile, its lines joined.
type dockerInstr struct {
	cmd, args string
	line      int
}

func parseDockerfile(t *testing.T, file string) []dockerInstr {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []dockerInstr
	var cur strings.Builder
	start := 0
	for i, l := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(l)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue // comments go, even inside a continued instruction
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if body, ok := strings.CutSuffix(trimmed, `\`); ok {
			cur.WriteString(body + " ")
			continue
		}
		cur.WriteString(trimmed)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, dockerInstr{strings.ToUpper(cmd), strings.TrimSpace(args), start})
		cur.Reset()
	}
	return out
}

// execForm decodes a JSON exec form (["a", "b"]).
func execForm(t *testing.T, s string) []string {
	t.Helper()
	var argv []string
	if err := json.Unmarshal([]byte(s), &argv); err != nil || len(argv) == 0 {
		t.Fatalf("%q: want the exec form [\"/path\", \"arg\"]: %v", s, err)
	}
	return argv
}

// commandExists tells whether sportello has the command name.
func commandExists(name string) bool {
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return true
		}
	}
	return false
}

func TestDockerfile(t *testing.T) {
	file := filepath.Join(deployDir, "Dockerfile")
	instrs := parseDockerfile(t, file)
	var stages [][]dockerInstr
	for _, in := range instrs {
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) > 0 {
			stages[len(stages)-1] = append(stages[len(stages)-1], in)
		}
	}
	if len(stages) < 2 {
		t.Fatalf("%s: %d stages, want a build stage and a run stage", file, len(stages))
	}
	built := false
	for _, in := range stages[0] {
		if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
			built = true
			if !strings.Contains(in.args, "CGO_ENABLED=0") || !strings.Contains(in.args, "./cmd/sportello") {
				t.Errorf("%s:%d: the build is not of a static ./cmd/sportello (CGO_ENABLED=0): %s", file, in.line, in.args)
			}
		}
		if in.cmd == "COPY" && !strings.HasPrefix(in.args, "--") {
			f := strings.Fields(in.args)
			for _, src := range f[:len(f)-1] {
				if _, err := os.Stat(filepath.Join(repoRoot, src)); err != nil {
					t.Errorf("%s:%d: COPY %s: not in the repository", file, in.line, src)
				}
			}
		}
	}
	if !built {
		t.Errorf("%s: the first stage builds nothing", file)
	}

	run := stages[len(stages)-1]
	env := map[string]string{}
	var binary, user, port string
	var health, entry []string
	for _, in := range run {
		switch in.cmd {
		case "COPY":
			if f := strings.Fields(in.args); strings.HasPrefix(in.args, "--from=") && strings.HasSuffix(f[len(f)-1], "/sportello") {
				binary = f[len(f)-1]
			}
		case "ENV":
			for _, kv := range strings.Fields(in.args) {
				k, v, ok := strings.Cut(kv, "=")
				if !ok {
					t.Fatalf("%s:%d: ENV %s: want KEY=value", file, in.line, in.args)
				}
				env[k] = strings.Trim(v, `"`)
				if !isSetting(k) {
					t.Errorf("%s:%d: ENV sets %s, which the binary does not read", file, in.line, k)
				}
			}
		case "USER":
			user = in.args
		case "EXPOSE":
			port = in.args
		case "HEALTHCHECK":
			_, cmd, ok := strings.Cut(in.args, "CMD ")
			if !ok {
				t.Fatalf("%s:%d: HEALTHCHECK without CMD", file, in.line)
			}
			health = execForm(t, cmd)
		case "ENTRYPOINT":
			entry = execForm(t, in.args)
		}
	}
	if u, _, _ := strings.Cut(user, ":"); u == "" || u == "root" || u == "0" {
		t.Errorf("%s: the run stage's USER is %q: want a user without privileges", file, user)
	}
	if binary == "" || len(entry) == 0 || entry[0] != binary {
		t.Errorf("%s: ENTRYPOINT %q does not run the binary copied to %q", file, entry, binary)
	}
	if len(health) < 2 || health[0] != binary || !commandExists(health[1]) {
		t.Errorf("%s: HEALTHCHECK %q: want the binary's health command", file, health)
	}
	if _, p, err := splitHostPort(env["SPORTELLO_ADDR"]); err != nil || p != port || !strings.HasPrefix(env["SPORTELLO_ADDR"], "0.0.0.0:") {
		t.Errorf("%s: SPORTELLO_ADDR=%q and EXPOSE %s: want the listener on 0.0.0.0 at the exposed port", file, env["SPORTELLO_ADDR"], port)
	}
	// The health check asks, with the image's environment, the path
	// serve answers.
	checkProbes(t, []string{healthPath})
	if code, out, errs := runEnv(t, env, "config", "check"); code != 0 {
		t.Errorf("config check with the image's environment: exit %d\n%s%s", code, out, errs)
	}
	checkDockerignore(t, filepath.Join(deployDir, "Dockerfile.dockerignore"))
}

func splitHostPort(addr string) (string, string, error) {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return "", "", fmt.Errorf("%q: no port", addr)
	}
	return addr[:i], addr[i+1:], nil
}

// checkDockerignore fails if the build context leaves out a file the
// binary embeds.
func checkDockerignore(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, l)
		}
	}
	ignored := func(p string) bool {
		segs := strings.Split(p, "/")
		for _, pat := range patterns {
			pat, anywhere := strings.CutPrefix(pat, "**/")
			for i := range segs {
				if i > 0 && !anywhere {
					break
				}
				for j := i + 1; j <= len(segs); j++ {
					if ok, _ := path.Match(pat, strings.Join(segs[i:j], "/")); ok {
						return true
					}
				}
			}
		}
		return false
	}
	embed := regexp.MustCompile(`(?m)^//go:embed (.+)$`)
	for _, f := range binaryFiles(t) {
		name := f.fset.File(f.ast.Pos()).Name()
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(repoRoot, filepath.Dir(name))
		for _, m := range embed.FindAllStringSubmatch(string(src), -1) {
			for _, p := range strings.Fields(m[1]) {
				full := path.Join(filepath.ToSlash(rel), p)
				if ignored(full) {
					t.Errorf("%s leaves %s out of the build, which %s embeds", file, full, name)
				}
			}
		}
	}
	for _, must := range []string{"go.mod", "go.sum", "cmd/sportello/main.go"} {
		if ignored(must) {
			t.Errorf("%s leaves %s out of the build", file, must)
		}
	}
	if !ignored(".git/HEAD") {
		t.Errorf("%s sends .git to the build", file)
	}
}

// checkProbes fails unless the server answers 200 at every path.
func checkProbes(t *testing.T, paths []string) {
	t.Helper()
	srv, err := newServer(context.Background(), e2eConfig(), func(string) string { return "" }, shopBot(t, true), testLog(t), deps{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.close()
	for _, p := range paths {
		rec := httptest.NewRecorder()
		srv.mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("a probe asks %s: the server answers %d", p, rec.Code)
		}
	}
}

// unit is a systemd unit file: section -> key -> values, in order.
type unit map[string]map[string][]string

func parseUnit(t *testing.T, file string) unit {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u := unit{}
	section := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, ";"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			section = l[1 : len(l)-1]
			u[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(l, "=")
			if !ok || section == "" {
				t.Fatalf("%s:%d: %q: want Key=value in a section", file, n, l)
			}
			u[section][k] = append(u[section][k], v)
		}
	}
	return u
}

// envFileVars returns the variables of an EnvironmentFile, those commented
// out as suggestions too.
func envFileVars(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	assign := regexp.MustCompile(`^#?([A-Za-z_][A-Za-z0-9_]*)=`)
	var vars []string
	for _, l := range strings.Split(string(data), "\n") {
		if m := assign.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			vars = append(vars, m[1])
		}
	}
	return vars
}

func TestSystemdUnit(t *testing.T) {
	dir := filepath.Join(deployDir, "systemd")
	file := filepath.Join(dir, "sportello.service")
	u := parseUnit(t, file)
	svc := u["Service"]
	if svc == nil {
		t.Fatalf("%s: no [Service]", file)
	}
	env := map[string]string{}
	for _, line := range svc["Environment"] {
		for _, kv := range strings.Fields(line) {
			k, v, _ := strings.Cut(strings.Trim(kv, `"`), "=")
			env[k] = v
			if !isSetting(k) {
				t.Errorf("%s: Environment sets %s, which the binary does not read", file, k)
			}
		}
	}
	for _, v := range envFileVars(t, filepath.Join(dir, "sportello.env")) {
		if !isSetting(v) {
			t.Errorf("sportello.env sets %s, which the binary does not read", v)
		}
	}
	for key, want := range map[string]string{
		"NoNewPrivileges": "yes", "ProtectSystem": "strict", "DynamicUser": "yes", "Restart": "on-failure",
		"PrivateTmp": "yes", "ProtectHome": "yes", "EnvironmentFile": "/etc/sportello/sportello.env",
	} {
		if !slices.Contains(svc[key], want) {
			t.Errorf("%s: %s=%q, want %s", file, key, svc[key], want)
		}
	}
	for key, want := range map[string][]string{"ExecStart": {"serve"}, "ExecStartPre": {"config", "check"}} {
		if len(svc[key]) != 1 {
			t.Errorf("%s: %s: %q", file, key, svc[key])
			continue
		}
		f := strings.Fields(svc[key][0])
		if len(f) < 1+len(want) || filepath.Base(f[0]) != "sportello" || !slices.Equal(f[1:1+len(want)], want) || !commandExists(want[0]) {
			t.Errorf("%s: %s=%s: want sportello %s", file, key, svc[key][0], strings.Join(want, " "))
		}
	}
	// The unit's environment, with the sample configuration file where it
	// is installed, is a configuration without mistakes.
	if !strings.HasPrefix(env["SPORTELLO_ADDR"], "127.0.0.1:") || env["SPORTELLO_CONFIG"] != "/etc/sportello/sportello.yaml" {
		t.Errorf("%s: SPORTELLO_ADDR=%q SPORTELLO_CONFIG=%q: want the loopback listener and /etc/sportello/sportello.yaml", file, env["SPORTELLO_ADDR"], env["SPORTELLO_CONFIG"])
	}
	env["SPORTELLO_CONFIG"] = filepath.Join(dir, "sportello.yaml")
	if code, out, errs := runEnv(t, env, "config", "check"); code != 0 {
		t.Errorf("config check with the unit's environment and sportello.yaml: exit %d\n%s%s", code, out, errs)
	}
}

// k8sDoc is one object of the manifests, the parts the test reads.
type k8sDoc struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Data       map[string]string `yaml:"data"`
	StringData map[string]string `yaml:"stringData"`
	Resources  []string          `yaml:"resources"`
	Spec       struct {
		Replicas       *int `yaml:"replicas"`
		MaxUnavailable any  `yaml:"maxUnavailable"`
		MinAvailable   any  `yaml:"minAvailable"`
		// The selector of a Service is a map; of the others, matchLabels.
		Selector yaml.Node `yaml:"selector"`
		Ports    []struct {
			TargetPort any `yaml:"targetPort"`
		} `yaml:"ports"`
		Template struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec k8sPod `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type k8sPod struct {
	SecurityContext struct {
		RunAsNonRoot bool `yaml:"runAsNonRoot"`
	} `yaml:"securityContext"`
	Containers []k8sContainer `yaml:"containers"`
	Volumes    []struct {
		Name      string `yaml:"name"`
		ConfigMap *struct {
			Name string `yaml:"name"`
		} `yaml:"configMap"`
	} `yaml:"volumes"`
}

type k8sContainer struct {
	Name  string `yaml:"name"`
	Args  []string
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	Env []struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom *struct {
			SecretKeyRef *struct {
				Name string `yaml:"name"`
				Key  string `yaml:"key"`
			} `yaml:"secretKeyRef"`
		} `yaml:"valueFrom"`
	} `yaml:"env"`
	VolumeMounts []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	} `yaml:"volumeMounts"`
	ReadinessProbe *k8sProbe `yaml:"readinessProbe"`
	LivenessProbe  *k8sProbe `yaml:"livenessProbe"`
	Resources      struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	SecurityContext struct {
		AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   bool  `yaml:"readOnlyRootFilesystem"`
	} `yaml:"securityContext"`
}

type k8sProbe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port any    `yaml:"port"`
	} `yaml:"httpGet"`
}

// readManifests decodes every object of every YAML file in dir, by file.
func readManifests(t *testing.T, dir string) map[string][]k8sDoc {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	out := map[string][]k8sDoc{}
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(f)
		for {
			var d k8sDoc
			if err := dec.Decode(&d); err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("%s: %v", name, err)
				}
				break
			}
			if d.Kind == "" {
				t.Errorf("%s: an object without a kind", name)
			}
			out[filepath.Base(name)] = append(out[filepath.Base(name)], d)
		}
		f.Close()
	}
	return out
}

// quantity reads a Kubernetes or Go memory size (256Mi, 230MiB) in bytes.
func quantity(t *testing.T, s string) int64 {
	t.Helper()
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"Gi", 1 << 30}, {"Mi", 1 << 20}} {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseInt(n, 10, 64)
			if err != nil {
				t.Fatalf("size %q: %v", s, err)
			}
			return v * u.mult
		}
	}
	t.Fatalf("size %q: want Mi, Gi, MiB or GiB", s)
	return 0
}

func TestKubernetesManifests(t *testing.T) {
	dir := filepath.Join(deployDir, "kubernetes")
	files := readManifests(t, dir)
	byKind := map[string][]k8sDoc{}
	for _, docs := range files {
		for _, d := range docs {
			byKind[d.Kind+"/"+d.Metadata.Name] = append(byKind[d.Kind+"/"+d.Metadata.Name], d)
		}
	}
	one := func(kind, name string) k8sDoc {
		t.Helper()
		docs := byKind[kind+"/"+name]
		if len(docs) != 1 {
			t.Fatalf("%s: %d objects %s/%s, want 1", dir, len(docs), kind, name)
		}
		return docs[0]
	}

	// kubectl apply -k applies every manifest but the example Secret.
	kust := one("Kustomization", "")
	var want []string
	for name := range files {
		if name != "kustomization.yaml" && name != "secret.example.yaml" {
			want = append(want, name)
		}
	}
	slices.Sort(want)
	if got := slices.Sorted(slices.Values(kust.Resources)); !slices.Equal(got, want) {
		t.Errorf("kustomization.yaml applies %q, want %q", got, want)
	}

	dep := one("Deployment", "sportello")
	if dep.Spec.Replicas == nil || *dep.Spec.Replicas < 2 {
		t.Errorf("the Deployment runs %v replicas, want several", dep.Spec.Replicas)
	}
	pod := dep.Spec.Template.Spec
	labels := dep.Spec.Template.Metadata.Labels
	var matchLabels struct {
		MatchLabels map[string]string `yaml:"matchLabels"`
	}
	if err := dep.Spec.Selector.Decode(&matchLabels); err != nil || !subset(matchLabels.MatchLabels, labels) {
		t.Errorf("the Deployment's selector %v does not select its pods %v", matchLabels.MatchLabels, labels)
	}
	if !pod.SecurityContext.RunAsNonRoot {
		t.Error("the pods may run as root (runAsNonRoot)")
	}
	if len(pod.Containers) != 1 || pod.Containers[0].Name != "sportello" {
		t.Fatalf("the Deployment's containers: want one, sportello")
	}
	c := pod.Containers[0]
	if len(c.Args) == 0 || !commandExists(c.Args[0]) {
		t.Errorf("the container runs %q: want a command of sportello", c.Args)
	}
	if c.SecurityContext.AllowPrivilegeEscalation == nil || *c.SecurityContext.AllowPrivilegeEscalation || !c.SecurityContext.ReadOnlyRootFilesystem {
		t.Error("the container may gain privileges or write its root file system")
	}
	if c.Resources.Requests["cpu"] == "" || c.Resources.Requests["memory"] == "" || c.Resources.Limits["memory"] == "" {
		t.Errorf("the container's resources: %+v, want requests of cpu and memory and a memory limit", c.Resources)
	}

	// Every variable is one the binary reads; the secrets come from the
	// Secret, each under its variable's name.
	secret := one("Secret", "sportello")
	env := map[string]string{}
	for _, e := range c.Env {
		if !isSetting(e.Name) {
			t.Errorf("the Deployment sets %s, which the binary does not read", e.Name)
		}
		if e.ValueFrom == nil {
			env[e.Name] = e.Value
			continue
		}
		ref := e.ValueFrom.SecretKeyRef
		if ref == nil || ref.Name != "sportello" || ref.Key != e.Name {
			t.Errorf("%s: want it from the Secret sportello, key %s", e.Name, e.Name)
			continue
		}
		if _, ok := secret.StringData[ref.Key]; !ok {
			t.Errorf("%s comes from the key %s, which secret.example.yaml does not show", e.Name, ref.Key)
		}
		if s, _ := settingOf(e.Name); !s.secret && !s.url {
			t.Errorf("%s is no secret: give it as a value, not from the Secret", e.Name)
		}
	}
	for _, s := range settings {
		if s.secret && env[s.env] != "" {
			t.Errorf("the secret %s is a plain value of the Deployment", s.env)
		}
	}
	if limit, max := quantity(t, c.Resources.Limits["memory"]), quantity(t, env["GOMEMLIMIT"]); max >= limit {
		t.Errorf("GOMEMLIMIT=%s is not below the memory limit %s", env["GOMEMLIMIT"], c.Resources.Limits["memory"])
	}

	// The listener, the probes and the Service agree on the port.
	ports := map[string]int{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if _, p, err := splitHostPort(env["SPORTELLO_ADDR"]); err != nil || !strings.HasPrefix(env["SPORTELLO_ADDR"], "0.0.0.0:") || p != strconv.Itoa(ports["http"]) {
		t.Errorf("SPORTELLO_ADDR=%q, containerPort http %d: want the listener on 0.0.0.0 at that port", env["SPORTELLO_ADDR"], ports["http"])
	}
	for name, pr := range map[string]struct {
		probe *k8sProbe
		path  string
	}{"readiness": {c.ReadinessProbe, "/readyz"}, "liveness": {c.LivenessProbe, "/healthz"}} {
		if pr.probe == nil || pr.probe.HTTPGet == nil || pr.probe.HTTPGet.Path != pr.path || pr.probe.HTTPGet.Port != "http" {
			t.Errorf("the %s probe: want GET %s on the port http", name, pr.path)
		}
	}
	checkProbes(t, []string{c.ReadinessProbe.HTTPGet.Path, c.LivenessProbe.HTTPGet.Path})
	svc := one("Service", "sportello")
	var svcSelector map[string]string
	if err := svc.Spec.Selector.Decode(&svcSelector); err != nil || !subset(svcSelector, labels) {
		t.Errorf("the Service's selector %v does not select the pods %v", svcSelector, labels)
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].TargetPort != "http" {
		t.Errorf("the Service's ports: want one, to the port http")
	}
	pdb := one("PodDisruptionBudget", "sportello")
	var pdbSelector struct {
		MatchLabels map[string]string `yaml:"matchLabels"`
	}
	if err := pdb.Spec.Selector.Decode(&pdbSelector); err != nil || !subset(pdbSelector.MatchLabels, labels) {
		t.Errorf("the PodDisruptionBudget's selector %v does not select the pods %v", pdbSelector.MatchLabels, labels)
	}
	if pdb.Spec.MaxUnavailable == nil && pdb.Spec.MinAvailable == nil {
		t.Error("the PodDisruptionBudget bounds nothing")
	}

	// The configuration file: the ConfigMap, mounted where
	// SPORTELLO_CONFIG says. With the Deployment's environment it has one
	// mistake, on purpose: the managers to replace.
	cm := one("ConfigMap", "sportello-config")
	mounted := ""
	for _, m := range c.VolumeMounts {
		for _, v := range pod.Volumes {
			if v.Name == m.Name && v.ConfigMap != nil && v.ConfigMap.Name == "sportello-config" {
				mounted = m.MountPath
			}
		}
	}
	dirName, base := path.Split(env["SPORTELLO_CONFIG"])
	if mounted == "" || path.Clean(dirName) != mounted || cm.Data[base] == "" {
		t.Fatalf("SPORTELLO_CONFIG=%s is not a file of the ConfigMap sportello-config (mounted at %q)", env["SPORTELLO_CONFIG"], mounted)
	}
	file := filepath.Join(t.TempDir(), base)
	if err := os.WriteFile(file, []byte(cm.Data[base]), 0o600); err != nil {
		t.Fatal(err)
	}
	env["SPORTELLO_CONFIG"] = file
	code, out, errs := runEnv(t, env, "config", "check")
	if code != 1 || strings.Count(errs, "\n") != 2 || !strings.Contains(errs, "review.managers[0]: manager anna: the password hash is not a bcrypt hash") {
		t.Errorf("config check of the ConfigMap: exit %d, want 1 and the one mistake of the managers to replace\n%s%s", code, out, errs)
	}

	// Redis and PostgreSQL: StatefulSets, marked as placeholders.
	for _, name := range []string{"redis", "postgres"} {
		sts := one("StatefulSet", name)
		if sts.Spec.Replicas == nil {
			t.Errorf("the StatefulSet %s: no replicas", name)
		}
		src, err := os.ReadFile(filepath.Join(dir, name+".yaml"))
		if err != nil || !strings.HasPrefix(string(src), "# PLACEHOLDER for a managed ") {
			t.Errorf("%s.yaml does not say it is a placeholder for a managed service", name)
		}
		one("Service", name)
	}
	if !strings.Contains(secret.StringData["REDIS_URL"], "@redis:6379") || !strings.Contains(secret.StringData["DATABASE_URL"], "@postgres:5432/") {
		t.Errorf("the example Secret's URLs do not point at the Services redis and postgres")
	}
}

// subset tells whether every label of sel is in labels.
func subset(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}
