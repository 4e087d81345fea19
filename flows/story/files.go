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
	return parseFiles(fsys, func(f string) string { return f }, paths...)
}

// ParseOS reads every story file under paths of the operating system's
// file system, as a command line names them; failures name the files as
// they were given (absolute ones stay absolute).
func ParseOS(paths ...string) ([]Story, error) {
	var all []Story
	for _, p := range paths {
		fsys, name := OSFS(p)
		display := func(f string) string { return f }
		if filepath.IsAbs(p) {
			display = func(f string) string { return "/" + f }
		}
		ss, err := parseFiles(fsys, display, name)
		if err != nil {
			return nil, err
		}
		all = append(all, ss...)
	}
	return all, nil
}

func parseFiles(fsys fs.FS, display func(string) string, paths ...string) ([]Story, error) {
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
		ss, err := Parse(display(f), data)
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
