package openreferral

import (
	"archive/zip"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Format names an input or output format.
type Format string

// Formats.
const (
	FormatJSON        Format = "oruk-json"
	FormatDataPackage Format = "hsds-datapackage"
)

// ErrUnknownFormat is returned when a path holds neither Open Referral JSON
// nor a tabular data package.
var ErrUnknownFormat = errors.New("not an Open Referral file: expected HSDS/ORUK JSON, a datapackage.json with CSV files, or a zip of either")

// Read reads a file, folder or zip and detects its format.
func Read(p string) (*Dataset, Format, error) {
	fsys, root, closer, err := openFS(p)
	if err != nil {
		return nil, "", err
	}
	defer closer()
	name := filepath.Base(p)
	if strings.EqualFold(name, "datapackage.json") {
		ds, err := readPackage(fsys, root, name)
		return ds, FormatDataPackage, err
	}
	if st, err := os.Stat(p); err == nil && !st.IsDir() && strings.HasSuffix(strings.ToLower(p), ".json") {
		ds, err := readJSONFiles(fsys, []string{path.Base(filepath.ToSlash(p))})
		return ds, FormatJSON, err
	}
	if strings.HasSuffix(strings.ToLower(p), ".csv") {
		return nil, "", fmt.Errorf("%s: give the folder or zip that holds the data package, not one CSV file", p)
	}
	// A folder or zip: a data package if it has a datapackage.json or
	// known CSV tables, else JSON files.
	pkgRoot, hasPackage, jsonFiles, err := survey(fsys)
	if err != nil {
		return nil, "", err
	}
	switch {
	case hasPackage:
		ds, err := readPackage(fsys, pkgRoot, name)
		return ds, FormatDataPackage, err
	case len(jsonFiles) > 0:
		ds, err := readJSONFiles(fsys, jsonFiles)
		return ds, FormatJSON, err
	}
	return nil, "", fmt.Errorf("%s: %w", p, ErrUnknownFormat)
}

// openFS gives a file system over a folder, a zip, or a single file's folder.
func openFS(p string) (fs.FS, string, func(), error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, "", nil, err
	}
	if st.IsDir() {
		return os.DirFS(p), ".", func() {}, nil
	}
	if strings.HasSuffix(strings.ToLower(p), ".zip") {
		zr, err := zip.OpenReader(p)
		if err != nil {
			return nil, "", nil, fmt.Errorf("%s: not a readable zip: %w", p, err)
		}
		return zr, ".", func() { zr.Close() }, nil
	}
	return os.DirFS(filepath.Dir(p)), ".", func() {}, nil
}

// survey finds a data package (its folder) or JSON files in fsys.
func survey(fsys fs.FS) (string, bool, []string, error) {
	var pkgRoot, csvRoot string
	hasPackage, hasCSV := false, false
	var jsonFiles []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := strings.ToLower(d.Name())
		if d.IsDir() {
			if strings.HasPrefix(base, ".") && p != "." || base == "__macosx" {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case base == "datapackage.json":
			if !hasPackage || len(p) < len(pkgRoot) {
				pkgRoot, hasPackage = path.Dir(p), true
			}
		case strings.HasSuffix(base, ".csv") && tableOf(strings.TrimSuffix(base, ".csv")) != "":
			if !hasCSV {
				csvRoot, hasCSV = path.Dir(p), true
			}
		case strings.HasSuffix(base, ".json"):
			jsonFiles = append(jsonFiles, p)
		}
		return nil
	})
	if !hasPackage && hasCSV {
		pkgRoot, hasPackage = csvRoot, true
	}
	return pkgRoot, hasPackage, jsonFiles, err
}
