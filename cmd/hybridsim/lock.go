//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockFile is the file in --dir that serve holds locked (flock) while it
// runs; it names the pid holding it.
const lockFile = "serve.lock"

// lockDir takes the lock on dir, so that a second serve on it refuses
// instead of mixing two labs' manifests and logs. The kernel releases the
// lock when the process ends, however it ends.
func lockDir(dir string) (release func(), err error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid := "unknown"
			if data, err := os.ReadFile(path); err == nil && strings.TrimSpace(string(data)) != "" {
				pid = strings.TrimSpace(string(data))
			}
			return nil, fmt.Errorf("--dir %s is in use by another hybridsim serve (pid %s): stop it, or give another --dir", dir, pid)
		}
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() {
		f.Truncate(0)
		f.Close()
	}, nil
}
