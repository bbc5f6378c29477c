//go:build ignore

// Writes the test archives in Rancher's own way (its backup-restore-operator's
// pkg/controllers/backup: filepath.Walk, tar.FileInfoHeader, hdr.Name = relative path,
// Go archive/tar + compress/gzip) from one of two small fixed trees. Regenerate with:
//
//	go run rancher-go-writer.go basic rancher-go-writer.tar.gz
//	go run rancher-go-writer.go encrypted ../cli/rancher-encrypted.tar.gz
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

// The tree of rancher-go-writer.tar.gz: paths at the edges of the layout.
var basic = map[string]string{
	"secrets.#v1/cattle-system/foo.json":                                                   `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"foo","namespace":"cattle-system"}}`,
	"namespaces.#v1/cattle-system.json":                                                    `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"cattle-system"}}`,
	"customresourcedefinitions.apiextensions.k8s.io#v1/users.management.cattle.io.json":    `{"kind":"CustomResourceDefinition","metadata":{"name":"users.management.cattle.io"}}`,
	"users.management.cattle.io#v3/u-abc.json":                                             `{"kind":"User","metadata":{"name":"u-abc"}}`,
	"configmaps.#v1/" + strings.Repeat("n", 63) + "/" + strings.Repeat("c", 120) + ".json": `{"kind":"ConfigMap"}`,
	"filters/filters.json":                                                                 `{"metadata":{"name":"rancher-resource-set"},"resourceSelectors":[],"controllerReferences":[]}`,
}

// The tree of ../cli/rancher-encrypted.tar.gz: complete objects, one of them encrypted.
var encrypted = map[string]string{
	// Encrypted by the Kubernetes aesgcm transformer Rancher embeds, with Rancher's example
	// EncryptionConfiguration (rancher-example-encryption.yaml, key1), AAD "cattle-system#foo";
	// the vector of crypto/KubernetesVectorsTest.
	"secrets.#v1/cattle-system/foo.json":             `"azhzOmVuYzphZXNnY206djE6a2V5MTpYHeXwL2wRRscR8+Jf9mZtSdzE+tnqxr+imUA6MErfIlsQ5EMP4KoXxtoUQ0epEfYD5XJMwwZcng6HdRgCXWIj9bJaTfVcxkaqHkJFWPvg6yC4AnEW9Xm6v2+znYl/E2vsP3WvGciaTLyVd+74vkEQsjatDTgLuXKKmA0d7JGpPPSd4Jfpan4qLg=="`,
	"namespaces.#v1/cattle-system.json":              `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"cattle-system","labels":{"team":"a"}}}`,
	"configmaps.#v1/cattle-system/app.json":          `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"app","namespace":"cattle-system"},"data":{"replicas":"3","mode":"blue"}}`,
	"serviceaccounts.#v1/cattle-system/rancher.json": `{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"rancher","namespace":"cattle-system"}}`,
	"filters/filters.json":                           `{"metadata":{"name":"rancher-resource-set"},"resourceSelectors":[{"apiVersion":"v1","kindsRegexp":"^namespaces$","resourceNameRegexp":"^cattle-system$"},{"apiVersion":"v1","kindsRegexp":"^(secrets|configmaps|serviceaccounts)$","namespaces":["cattle-system"]}],"controllerReferences":[]}`,
}

var trees = map[string]map[string]string{"basic": basic, "encrypted": encrypted}

func main() {
	files, ok := trees[os.Args[1]]
	if !ok {
		panic("unknown tree " + os.Args[1] + ": basic or encrypted")
	}
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
	out, err := os.Create(os.Args[2])
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
