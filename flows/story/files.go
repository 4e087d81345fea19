package story

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ParseFiles reads every story file under the paths (files, or folders
// searched for *.yaml and *.yml).
func ParseFiles(fsys fs.FS, paths ...string) ([]Story, error) {
	var files []string
	for _, p := range paths {
		info, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("stories: %w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = fs.WalkDir(fsys, p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("stories: %w", err)
		}
	}
	var all []Story
	var errs []string
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("stories: %w", err)
		}
		ss, err := Parse(f, data)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		all = append(all, ss...)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return all, nil
}

// OSFS returns the file system for paths given on a command line: the
// root for absolute paths, the working directory otherwise.
func OSFS(path string) (fs.FS, string) {
	if filepath.IsAbs(path) {
		return os.DirFS("/"), strings.TrimPrefix(filepath.Clean(path), "/")
	}
	return os.DirFS("."), filepath.Clean(path)
}
