package sim

import (
	"fmt"
	"os"
	"path/filepath"
)

// writeFileAtomic writes data to path with the given mode: into a temporary
// file in the same directory, then renamed over path, so that a reader sees
// the old file or the new one, never part of one, and the mode is the one
// given even when path existed with another.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("sim: write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("sim: write %s: %w", path, err)
	}
	return nil
}
