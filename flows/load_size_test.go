package flows

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

// A 50 MB flow file took 800 MB of memory before a misleading error. It is
// refused now before it is read, with an error naming it and the limit.
func TestA50MBFlowFileIsRefusedBeforeItIsRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = LoadPath(path)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("a 50 MB flow file was loaded")
	}
	for _, want := range []string{path, "50 MiB", "at most 4 MiB", "flows.MaxFileSize"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing the file allocated %d bytes: it was read", n)
	}
}

// What Load is given, with its size: each file and the folder in total
// are bounded, whatever the file says of its own size.
func TestFlowFileSizeLimits(t *testing.T) {
	if raceEnabled {
		// 20 MiB of YAML read by one goroutine: 0.3 s, 70 under -race,
		// which the other tests of Load run under. .ci/run runs it without.
		t.Skip("parses 20 MiB of YAML; .ci/run runs it without -race")
	}
	filler := func(n int) []byte { // valid YAML: a comment as long as n
		b := make([]byte, n)
		for i := range b {
			b[i] = 'x'
		}
		b[0], b[n-1] = '#', '\n'
		return b
	}
	tests := []struct {
		name   string
		fsys   fstest.MapFS
		load   string
		refuse string // what the error says; "" when the size is fine
	}{
		{"a file at the limit", fstest.MapFS{"big.yaml": {Data: filler(MaxFileSize)}}, "big.yaml", ""},
		{"a file one byte over", fstest.MapFS{"big.yaml": {Data: filler(MaxFileSize + 1)}}, "big.yaml",
			"big.yaml: the file holds 4.1 MiB; a flow file may hold at most 4 MiB"},
		{"a folder at the limit", fstest.MapFS{
			"shop/a.yaml": {Data: filler(MaxFileSize)}, "shop/b.yaml": {Data: filler(MaxFileSize)},
			"shop/c.yaml": {Data: filler(MaxFileSize)}, "shop/d.yaml": {Data: filler(MaxFileSize)}}, "shop", ""},
		{"a folder over the limit", fstest.MapFS{
			"shop/a.yaml": {Data: filler(MaxFileSize)}, "shop/b.yaml": {Data: filler(MaxFileSize)},
			"shop/c.yaml": {Data: filler(MaxFileSize)}, "shop/d.yaml": {Data: filler(MaxFileSize)},
			"shop/e.yaml": {Data: filler(10)}}, "shop",
			"shop: the folder's flow files hold more than 16 MiB together (at shop/e.yaml); a folder may hold at most 16 MiB"},
		{"a big file in stories is no flow file", fstest.MapFS{
			"shop/a.yaml": {Data: filler(10)}, "shop/stories/s.yaml": {Data: filler(MaxFileSize + 1)}}, "shop", ""},
		{"a big file that is not YAML is not read", fstest.MapFS{
			"shop/a.yaml": {Data: filler(10)}, "shop/photo.jpg": {Data: filler(MaxFileSize + 1)}}, "shop", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.fsys, tt.load)
			switch {
			case tt.refuse == "" && err != nil && strings.Contains(err.Error(), "MaxF"):
				t.Errorf("refused: %v", err)
			case tt.refuse != "" && (err == nil || !strings.Contains(err.Error(), tt.refuse)):
				t.Errorf("error = %v, want it to say %q", err, tt.refuse)
			}
		})
	}
}

// A file whose stated size is wrong (it grows as it is read, or it is a
// device) is read only up to the limit all the same.
func TestAFlowFileWithoutAnEndIsRefused(t *testing.T) {
	_, err := Load(endless{}, "grows.yaml")
	if err == nil || !strings.Contains(err.Error(), "grows.yaml: the file holds more than 4 MiB") {
		t.Fatalf("Load of an endless file = %v", err)
	}
}

// endless is a file system of one file that says it holds ten bytes and
// never ends.
type endless struct{}

func (endless) Open(name string) (fs.File, error) {
	if name != "grows.yaml" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return endlessFile{}, nil
}

type endlessFile struct{}

func (endlessFile) Stat() (fs.FileInfo, error) {
	return fstest.MapFS{"grows.yaml": {Data: make([]byte, 10)}}.Stat("grows.yaml")
}

func (endlessFile) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '#'
	}
	return len(p), nil
}

func (endlessFile) Close() error { return nil }

func TestParseRefusesTooMuchData(t *testing.T) {
	_, err := Parse("pasted.yaml", make([]byte, MaxFileSize+1))
	if err == nil || !strings.Contains(err.Error(), "pasted.yaml: the file holds 4.1 MiB") {
		t.Fatalf("Parse of %d bytes = %v", MaxFileSize+1, err)
	}
}
