//go:build ignore

// Writes rancher-go-writer.tar.gz the way Rancher's backup-restore-operator does
// (pkg/controllers/backup: filepath.Walk, tar.FileInfoHeader, hdr.Name = relative path,
// Go archive/tar + compress/gzip), from a small fixed tree. Regenerate with:
//
//	go run rancher-go-writer.go rancher-go-writer.tar.gz
package main

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var files = map[string]string{
	"secrets.#v1/cattle-system/foo.json":                                                   `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"foo","namespace":"cattle-system"}}`,
	"namespaces.#v1/cattle-system.json":                                                    `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"cattle-system"}}`,
	"customresourcedefinitions.apiextensions.k8s.io#v1/users.management.cattle.io.json":    `{"kind":"CustomResourceDefinition","metadata":{"name":"users.management.cattle.io"}}`,
	"users.management.cattle.io#v3/u-abc.json":                                             `{"kind":"User","metadata":{"name":"u-abc"}}`,
	"configmaps.#v1/" + strings.Repeat("n", 63) + "/" + strings.Repeat("c", 120) + ".json": `{"kind":"ConfigMap"}`,
	"filters/filters.json":                                                                 `{"metadata":{"name":"rancher-resource-set"},"resourceSelectors":[],"controllerReferences":[]}`,
}

func main() {
	dir, err := os.MkdirTemp("", "rancher-go-writer")
	check(err)
	defer os.RemoveAll(dir)
	stamp := time.Date(2024, 5, 1, 13, 45, 7, 0, time.UTC)
	for name, body := range files {
		p := filepath.Join(dir, name)
		check(os.MkdirAll(filepath.Dir(p), 0o755))
		check(os.WriteFile(p, []byte(body), 0o644))
	}
	check(filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		return os.Chtimes(p, stamp, stamp)
	}))
	out, err := os.Create(os.Args[1])
	check(err)
	gw := gzip.NewWriter(out)
	tw := tar.NewWriter(gw)
	check(filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		check(err)
		if p == dir {
			return nil
		}
		hdr, err := tar.FileInfoHeader(info, "")
		check(err)
		rel, err := filepath.Rel(dir, p)
		check(err)
		hdr.Name = filepath.Join(rel)
		hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
		check(tw.WriteHeader(hdr))
		if info.IsDir() {
			return nil
		}
		f, err := os.Open(p)
		check(err)
		defer f.Close()
		_, err = io.Copy(tw, f)
		return err
	}))
	check(tw.Close())
	check(gw.Close())
	check(out.Close())
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
