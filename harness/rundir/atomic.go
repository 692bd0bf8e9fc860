// Package rundir is the run folder: its name (a UTC time and a label,
// never reused), files written atomically and never over measured data,
// results.json's checkpoints, and bundles that carry a folder through a
// log. It renders nothing (package report does) and measures nothing.
package rundir

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

// File is a file written as it streams and published atomically: bytes go
// to a temporary file beside the path, and Commit syncs it and links it to
// the path, never over an existing file. A file never committed (Abort, a
// crash) leaves no file at the path. Use CreateFile.
type File struct {
	*os.File
	path string
}

// CreateFile starts a streamed file that Commit will publish at path.
func CreateFile(path string) (*File, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	if err := tmp.Chmod(fileMode); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, err
	}
	return &File{File: tmp, path: path}, nil
}

// Commit syncs and closes the file and links it to its path; it fails if
// the path exists. The temporary name is removed either way.
func (f *File) Commit() error {
	defer os.Remove(f.Name())
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	err := os.Link(f.Name(), f.path)
	if os.IsExist(err) {
		return fmt.Errorf("%s exists; results are never overwritten", f.path)
	}
	if err != nil {
		return err
	}
	return syncDir(filepath.Dir(f.path))
}

// Abort closes and removes the file without publishing it.
func (f *File) Abort() {
	f.Close()
	os.Remove(f.Name())
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
	if err := tmp.Chmod(fileMode); err != nil {
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
