"""Reads kubectl JSON documents on stdin and prints a stable fingerprint line per object."""
import hashlib
import json
import sys

SERVER_SET = {"uid", "resourceVersion", "creationTimestamp", "managedFields", "generation", "selfLink"}
KEEP_STATUS = {"Widget"}
# Filled in by the apiserver or a controller on every create; not part of what was backed up.
SKIP_NAMES = {("ConfigMap", "kube-root-ca.crt"), ("ServiceAccount", "default")}


def documents(text):
    decoder = json.JSONDecoder()
    index = 0
    while index < len(text):
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return
        doc, index = decoder.raw_decode(text, index)
        yield doc


def fingerprint(obj):
    meta = {k: v for k, v in obj.get("metadata", {}).items() if k not in SERVER_SET}
    meta.get("annotations", {}).pop("kubectl.kubernetes.io/last-applied-configuration", None)
    if "ownerReferences" in meta:
        meta["ownerReferences"] = [{"kind": r["kind"], "name": r["name"]} for r in meta["ownerReferences"]]
    body = {k: v for k, v in obj.items() if k not in ("metadata", "status")}
    if obj["kind"] == "Service":
        # A restored Service gets a newly allocated cluster IP (restore item ServiceClusterIpAction).
        body["spec"] = {k: v for k, v in body["spec"].items() if k not in ("clusterIP", "clusterIPs")}
    if obj["kind"] in KEEP_STATUS:
        body["status"] = obj.get("status")
    body["metadata"] = meta
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]


lines = set()
for doc in documents(sys.stdin.read()):
    for obj in doc.get("items", [doc]) if doc.get("kind", "").endswith("List") else [doc]:
        meta = obj["metadata"]
        if (obj["kind"], meta["name"]) in SKIP_NAMES:
            continue
        where = (meta.get("namespace", "") + "/" + meta["name"]).lstrip("/")
        lines.add(f"{obj['kind']:<26} {where:<40} {fingerprint(obj)}")
print("\n".join(sorted(lines)))
