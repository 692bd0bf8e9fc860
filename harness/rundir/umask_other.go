//go:build !unix

package rundir

import "os"

// fileMode is a new file's mode.
const fileMode os.FileMode = 0o644
