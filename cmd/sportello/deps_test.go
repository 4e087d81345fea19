package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryLinksNoTestingPackages: the binary carries no test machinery.
// A fake or a suite imported by a package of the binary would link
// testing (and its flags) or httptest into what operators run.
func TestBinaryLinksNoTestingPackages(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to list the binary's packages: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "testing" || strings.HasPrefix(pkg, "testing/") || pkg == "net/http/httptest" {
			t.Errorf("the binary links %s; find the importer with: go list -f '{{.ImportPath}} {{.Imports}}' -deps ./cmd/sportello | grep %s", pkg, pkg)
		}
	}
}
