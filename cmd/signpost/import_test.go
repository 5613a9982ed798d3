package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signpost/signpost/shareddata"
)

// miamiPackage is the real 211 package the import tests read.
func miamiPackage(t *testing.T) string {
	return shareddata.Path(t, "hsds-miami-211", "datapackage.zip")
}

func TestImportExportCommands(t *testing.T) {
	env := []string{"SIGNPOST_DATA_DIR=" + dataDir(t)}
	out, errOut, code := signpost(t, env, "import", miamiPackage(t))
	if code != 0 {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{`source "hsds-miami-211"`, "services            4089        0          0        0",
		"eligibility row that points at no service", "e.g. eligibility.csv:2"} {
		if !strings.Contains(out, want) {
			t.Errorf("import summary lacks %q:\n%s", want, out)
		}
	}
	// Not a terminal: progress comes as plain lines.
	if !strings.Contains(errOut, "services: 4089/4089 (100%)") {
		t.Errorf("no plain progress lines on stderr:\n%s", errOut)
	}
	out, _, code = signpost(t, env, "import", "--quiet", miamiPackage(t))
	if code != 0 || !strings.Contains(out, "services               0        0       4089        0") {
		t.Fatalf("second import: exit %d\n%s", code, out)
	}

	dir := t.TempDir()
	jsonOut := filepath.Join(dir, "directory.json")
	out, _, code = signpost(t, env, "export", "--format", "oruk-json", "--out", jsonOut)
	if code != 0 || !strings.Contains(out, "exported 4089 services") {
		t.Fatalf("export json: exit %d, %q", code, out)
	}
	if st, err := os.Stat(jsonOut); err != nil || st.Size() < 1000000 {
		t.Fatalf("export file: %v", err)
	}
	zipOut := filepath.Join(dir, "directory.zip")
	if out, _, code = signpost(t, env, "export", "--format", "hsds-datapackage", "--out", zipOut); code != 0 {
		t.Fatalf("export package: exit %d, %q", code, out)
	}
	zr, err := zip.OpenReader(zipOut)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	zr.Close()
	for _, want := range []string{"datapackage.json", "services.csv", "organizations.csv", "schedules.csv", "taxonomy_terms.csv"} {
		if !names[want] {
			t.Errorf("data package lacks %s", want)
		}
	}
	// Our own exports import into a fresh directory under a new source.
	env2 := []string{"SIGNPOST_DATA_DIR=" + dataDir(t)}
	for _, p := range []string{jsonOut, zipOut} {
		out, _, code := signpost(t, env2, "import", "--quiet", "--source", "copy-"+filepath.Ext(p), p)
		if code != 0 || !strings.Contains(out, "services            4089") {
			t.Fatalf("import of %s: exit %d\n%s", p, code, out)
		}
	}
}

func TestImportRefusesBadInputAndStrictWritesNothing(t *testing.T) {
	env := []string{"SIGNPOST_DATA_DIR=" + dataDir(t)}
	_, errOut, code := signpost(t, env, "import", "/no/such/file.json")
	if code != 1 || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing file: exit %d, %q", code, errOut)
	}
	notData := filepath.Join(t.TempDir(), "notes.json")
	os.WriteFile(notData, []byte("this is not json"), 0o644)
	_, errOut, code = signpost(t, env, "import", notData)
	if code != 1 || !strings.Contains(errOut, "not valid JSON") {
		t.Errorf("bad JSON: exit %d, %q", code, errOut)
	}
	out, errOut, code := signpost(t, env, "import", "--strict", "--quiet", miamiPackage(t))
	if code != 1 || !strings.Contains(errOut, "--strict") || !strings.Contains(out, "eligibility row") {
		t.Errorf("strict: exit %d\n%s\n%s", code, out, errOut)
	}
	out, _, code = signpost(t, env, "export")
	if code != 0 || !strings.Contains(out, `"total_items":0`) {
		t.Errorf("after a failed strict import the directory is not empty: %.200s", out)
	}
	_, errOut, code = signpost(t, env, "export", "--format", "csv")
	if code != 1 || !strings.Contains(errOut, "--format") {
		t.Errorf("bad format: exit %d, %q", code, errOut)
	}
	_, errOut, code = signpost(t, env, "export", "--format", "hsds-datapackage")
	if code != 1 || !strings.Contains(errOut, "--out") {
		t.Errorf("package without --out: exit %d, %q", code, errOut)
	}
}

func TestImportPostcodesCommand(t *testing.T) {
	env := []string{"SIGNPOST_DATA_DIR=" + dataDir(t)}
	out, _, code := signpost(t, env, "import", "postcodes", shareddata.Path(t, "uk-postcodes", "outcode-centroids.csv"))
	if code != 0 || !strings.Contains(out, "loaded 3076 districts") {
		t.Fatalf("postcodes: exit %d, %q", code, out)
	}
	_, errOut, code := signpost(t, env, "import", "postcodes", "main.go")
	if code != 1 || !strings.Contains(errOut, "postcode column") {
		t.Fatalf("not a postcode file: exit %d, %q", code, errOut)
	}
}
