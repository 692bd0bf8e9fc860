// Package report writes and reads the files of a run folder: results.json
// (the source of truth), results.csv and summary.md, and renders the table
// the terminal shows.
package report

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically and never over an existing file:
// it writes a temporary file in the same folder, syncs it, then links it to
// path, which fails if path exists. A crash leaves no file or a whole one.
// Measured data goes through WriteFile.
func WriteFile(path string, data []byte) error {
	return writeVia(path, data, func(tmp string) error {
		err := os.Link(tmp, path)
		if os.IsExist(err) {
			return fmt.Errorf("%s exists; results are never overwritten", path)
		}
		return err
	})
}

// ReplaceFile writes data to path atomically, replacing an existing file:
// for files derived from results.json (charts, summary.md, report.html),
// which `bench plot` redraws.
func ReplaceFile(path string, data []byte) error {
	return writeVia(path, data, func(tmp string) error { return os.Rename(tmp, path) })
}

// writeVia writes data to a synced temporary file beside path and hands its
// name to publish.
func writeVia(path string, data []byte, publish func(tmp string) error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a link, the temporary name; after a rename, nothing
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := publish(tmp.Name()); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync() // not every file system syncs directories; the data is already safe
	return nil
}
