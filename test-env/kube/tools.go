//go:build tools

// Package tools records the commands this module builds, so that go mod tidy keeps their dependencies:
// kube-apiserver and kubectl for the integration tests (scripts/control-plane.sh), and the node's
// components for the real-node tier (scripts/e2e-node.sh).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
