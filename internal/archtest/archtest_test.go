// Package archtest holds tests of the project's shape rather than of its
// behaviour.
package archtest

import (
	"bufio"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/custreg/custreg/"

// TestPackageGraph checks the package table of docs/architecture.md
// against the code: every package under cmd/, internal/ and migrations/
// with its project imports (tests excluded), no more and no fewer.
func TestPackageGraph(t *testing.T) {
	root := filepath.Join("..", "..")
	want := docGraph(t, filepath.Join(root, "docs", "architecture.md"))
	got := map[string][]string{}
	for _, top := range []string{"cmd", "internal", "migrations"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			pkg := strings.TrimPrefix(filepath.ToSlash(rel), "internal/")
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
			if err != nil {
				return err
			}
			if _, ok := got[pkg]; !ok {
				got[pkg] = []string{}
			}
			for _, imp := range f.Imports {
				p := strings.Trim(imp.Path.Value, `"`)
				if dep, ok := strings.CutPrefix(p, module); ok {
					dep = strings.TrimPrefix(dep, "internal/")
					if !slices.Contains(got[pkg], dep) {
						got[pkg] = append(got[pkg], dep)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for pkg, deps := range got {
		slices.Sort(deps)
		w, ok := want[pkg]
		switch {
		case !ok:
			t.Errorf("docs/architecture.md's package table has no row for %s (→ %s)", pkg, strings.Join(deps, " "))
		case !slices.Equal(w, deps):
			t.Errorf("%s imports %v; docs/architecture.md says %v", pkg, deps, w)
		}
	}
	for pkg := range want {
		if _, ok := got[pkg]; !ok {
			t.Errorf("docs/architecture.md's package table names %s, which is not a package", pkg)
		}
	}
	if len(got) < 20 {
		t.Errorf("found only %d packages: is the walk looking in the right place?", len(got))
	}
}

// docGraph reads the fenced block after the "package graph" marker: one
// line a package, "pkg → dep dep …".
func docGraph(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]string{}
	sc := bufio.NewScanner(f)
	state := 0 // 0: before the marker, 1: before the fence, 2: in the block
	for sc.Scan() {
		line := sc.Text()
		switch {
		case state == 0 && strings.Contains(line, "package graph:"):
			state = 1
		case state == 1 && strings.HasPrefix(line, "```"):
			state = 2
		case state == 2 && strings.HasPrefix(line, "```"):
			return out
		case state == 2:
			pkg, deps, ok := strings.Cut(line, "→")
			if !ok {
				t.Fatalf("%s: %q is not \"pkg → deps\"", path, line)
			}
			ds := strings.Fields(deps)
			slices.Sort(ds)
			out[strings.TrimSpace(pkg)] = ds
		}
	}
	t.Fatalf("%s has no package graph block", path)
	return nil
}
