package openreferral

import (
	"io/fs"
)

func readJSONFiles(fsys fs.FS, files []string) (*Dataset, error) {
	panic("todo")
}
